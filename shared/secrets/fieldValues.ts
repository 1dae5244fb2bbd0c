import * as z from 'zod';
import { InvalidInputError } from '../errors';
import { SeedInputSchema, type SeedInput } from '../seed';
import type { FieldType, Template } from '../templates/model';
import { RecoveryCodesBody, SECRET_LIMITS } from './schema';

export interface CheckedFields {
  plain: Record<string, { type: FieldType; value: string }>;
  /** Values to encrypt before they are stored. */
  sensitive: Record<string, { type: FieldType; value: string }>;
  seed?: { field: string; input: SeedInput };
  recovery?: { field: string; codes: string[] };
}

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const httpUrl = z
  .string()
  .max(SECRET_LIMITS.maxUrlLength)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

function scalarSchema(type: FieldType, sensitive: boolean): z.ZodType<string> {
  const base = z.string().min(1, 'cannot be empty');
  switch (type) {
    case 'url':
      return httpUrl;
    case 'text':
      return base.max(SECRET_LIMITS.maxTextLength, `holds at most ${SECRET_LIMITS.maxTextLength} characters`);
    case 'note':
    case 'password':
    default:
      return sensitive
        ? base.refine((s) => utf8Bytes(s) <= SECRET_LIMITS.maxSensitiveBytes, `holds at most ${SECRET_LIMITS.maxSensitiveBytes} bytes`)
        : base.max(SECRET_LIMITS.maxNoteLength, `holds at most ${SECRET_LIMITS.maxNoteLength} characters`);
  }
}

/**
 * Checks every value against the template before any expensive work (seed decoding, KMS), and
 * reports all problems at once. Messages name fields, never quote values.
 */
export function checkFieldValues(template: Template, values: Record<string, unknown>): CheckedFields {
  const problems: { field: string; message: string }[] = [];
  const out: CheckedFields = { plain: {}, sensitive: {} };
  const declared = new Set(template.fields.map((f) => f.name));
  for (const name of Object.keys(values)) {
    if (!declared.has(name)) problems.push({ field: `fields.${name}`, message: `template ${template.id} has no field ${name}` });
  }
  for (const field of template.fields) {
    const value = values[field.name];
    const where = `fields.${field.name}`;
    if (value === undefined || value === null) {
      if (field.required) problems.push({ field: where, message: `${field.name} is required by template ${template.id}` });
      continue;
    }
    if (field.type === 'otpSeed') {
      const parsed = SeedInputSchema.safeParse(value);
      if (parsed.success) out.seed = { field: field.name, input: parsed.data };
      else problems.push(...parsed.error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message })));
      continue;
    }
    if (field.type === 'recoveryCodes') {
      const parsed = RecoveryCodesBody.shape.codes.safeParse(value);
      if (parsed.success) out.recovery = { field: field.name, codes: parsed.data };
      else problems.push(...parsed.error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message })));
      continue;
    }
    const parsed = scalarSchema(field.type, field.sensitive).safeParse(value);
    if (!parsed.success) {
      problems.push({ field: where, message: parsed.error.issues[0]?.message ?? 'invalid value' });
      continue;
    }
    (field.sensitive ? out.sensitive : out.plain)[field.name] = { type: field.type, value: parsed.data };
  }
  if (problems.length) {
    const summary = problems.slice(0, 5).map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new InvalidInputError(`invalid fields: ${summary}`, { problems });
  }
  return out;
}
