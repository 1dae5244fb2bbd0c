import * as z from 'zod';
import { SECRET_ACTIONS } from '../policy';
import { APPROVAL_LIMITS as POLICY_APPROVAL_LIMITS } from '../policy/schema';
import { SecretIdSchema, SecretPathSchema } from '../secrets/schema';
import { APPROVAL_LIMITS, REQUEST_STATUSES } from './model';

export const AccessRequestIdSchema = z.string().regex(/^[0-9A-Z]{26}$/, 'not an access request id').describe('Access request id');

const SecretActionSchema = z.enum(SECRET_ACTIONS as [string, ...string[]], {
  error: (issue) => `unknown secret action ${JSON.stringify(issue.input)}; requestable actions are ${SECRET_ACTIONS.join(', ')}`,
});

export const CreateAccessRequestBody = z
  .object({
    secretId: SecretIdSchema.optional(),
    path: SecretPathSchema.optional(),
    actions: z
      .array(SecretActionSchema)
      .min(1, 'name at least one action')
      .max(SECRET_ACTIONS.length)
      .refine((a) => new Set(a).size === a.length, 'actions must be distinct')
      .describe('The secret actions asked for, e.g. ["otp:generate"]'),
    justification: z
      .string()
      .trim()
      .max(APPROVAL_LIMITS.justificationLength, `a justification holds at most ${APPROVAL_LIMITS.justificationLength} characters`)
      .default('')
      .describe('Why access is needed (required when the policy says so)'),
    minutes: z
      .number()
      .int()
      .min(1, 'minutes is at least 1')
      .max(POLICY_APPROVAL_LIMITS.grantMinutes, `minutes is at most ${POLICY_APPROVAL_LIMITS.grantMinutes}`)
      .optional()
      .describe("How long the grant should hold once approved; capped by the policy's grantMinutes"),
  })
  .strict()
  .refine((b) => (b.secretId === undefined) !== (b.path === undefined), 'name the secret by either "secretId" or "path", not both');
export type CreateAccessRequestBody = z.output<typeof CreateAccessRequestBody>;

export const DecisionBody = z
  .object({
    comment: z
      .string()
      .trim()
      .max(APPROVAL_LIMITS.commentLength, `a comment holds at most ${APPROVAL_LIMITS.commentLength} characters`)
      .optional()
      .describe('Why, for the requester and the audit log'),
  })
  .strict()
  .default({});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true').optional();

export const ListAccessRequestsQuery = z
  .object({
    status: z.enum(REQUEST_STATUSES, { error: (issue) => `unknown status ${JSON.stringify(issue.input)}; use ${REQUEST_STATUSES.join(', ')}` }).optional().describe('Only requests in this status'),
    mine: flag.describe('Only requests the caller made'),
    toApprove: flag.describe('Only pending requests the caller may approve and has not yet approved'),
    limit: z.coerce.number().int().min(1).max(APPROVAL_LIMITS.listMaxLimit).default(50).describe('Most requests returned'),
    cursor: z.string().max(2048).optional().describe('Opaque cursor from the previous page, with the same filters'),
  })
  .strict()
  .refine((q) => !(q.mine && q.toApprove), 'ask for mine=true or toApprove=true, not both');
export type ListAccessRequestsQuery = z.output<typeof ListAccessRequestsQuery>;
