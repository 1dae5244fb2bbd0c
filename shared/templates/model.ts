import * as z from 'zod';

/** Field types a template may declare. */
const FIELD_TYPES = ['text', 'url', 'password', 'note', 'otpSeed', 'recoveryCodes'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Types whose values are always encrypted, whatever the template says. */
export const ALWAYS_SENSITIVE: readonly FieldType[] = ['password', 'otpSeed', 'recoveryCodes'];
/** Types of which a template may hold at most one (their endpoints address "the" seed / code set). */
export const SINGLETON_TYPES: readonly FieldType[] = ['otpSeed', 'recoveryCodes'];

const TEMPLATE_LIMITS = {
  maxFields: 32,
  maxNameLength: 100,
  maxDescriptionLength: 1000,
} as const;

export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

const TemplateFieldSchema = z
  .object({
    name: z.string().regex(FIELD_NAME, 'field names start with a letter and hold letters, digits or _ (at most 64)').describe('Field name, used as the key in a secret\'s `fields`'),
    type: z.enum(FIELD_TYPES).describe(`Field type: ${FIELD_TYPES.join(', ')}`),
    required: z.boolean().default(false).describe('Whether a secret must give this field'),
    sensitive: z.boolean().optional().describe('Encrypt the value and never show it (always true for password, otpSeed, recoveryCodes)'),
    description: z.string().max(TEMPLATE_LIMITS.maxDescriptionLength).optional().describe('Help text for people filling the field'),
  })
  .strict();

export interface TemplateField {
  name: string;
  type: FieldType;
  required: boolean;
  sensitive: boolean;
  description?: string;
}

export interface Template {
  id: string;
  name: string;
  description: string;
  fields: TemplateField[];
  builtin: boolean;
  createdAt?: string;
  createdBy?: string;
  /** Custom templates: 1 when created, one more per replacement (absent on items from before versions: 1). */
  version?: number;
  updatedAt?: string;
  updatedBy?: string;
  /**
   * Set when the template was retired (`DELETE`): it makes no new secret and leaves the listing, but
   * stays readable for the secrets built from it, which still name it.
   */
  retiredAt?: string;
  retiredBy?: string;
}

const templateDocument = {
  name: z.string().trim().min(1).max(TEMPLATE_LIMITS.maxNameLength).describe('Display name'),
  description: z.string().max(TEMPLATE_LIMITS.maxDescriptionLength).default('').describe('What the template is for'),
  fields: z.array(TemplateFieldSchema).min(1, 'a template needs at least one field').max(TEMPLATE_LIMITS.maxFields, `a template holds at most ${TEMPLATE_LIMITS.maxFields} fields`).describe('Fields of secrets built from this template'),
};

export const CreateTemplateSchema = z
  .object({
    id: z.string().regex(TEMPLATE_ID, 'template ids are 2-63 lower-case letters, digits or dashes').optional().describe('Template id; derived from the name when omitted'),
    ...templateDocument,
  })
  .strict();
export type CreateTemplateInput = z.output<typeof CreateTemplateSchema>;

/** A custom template's new content (`PUT`): the secrets built from it must stay readable, see TemplateService.replace. */
export const ReplaceTemplateSchema = z.object(templateDocument).strict();
export type ReplaceTemplateInput = z.output<typeof ReplaceTemplateSchema>;
