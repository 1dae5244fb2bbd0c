import * as z from 'zod';
import { SecretIdSchema, SecretPathSchema } from '../../secrets/schema';
import { AUDIT_EXPORT_LIMITS, AUDIT_QUERY_LIMITS } from './limits';

/** An ISO 8601 time with a zone (`Z` or an offset), normalised to UTC milliseconds like event times. */
export const IsoTimeSchema = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 time with a zone, e.g. 2025-01-31T12:00:00Z' })
  .transform((text) => new Date(text).toISOString())
  .refine((iso) => /^\d{4}-/.test(iso), 'a time between the years 0000 and 9999 (UTC)');

/** `otp:generate`, or an operation name for requests that never reached a policy action. */
const AUDIT_ACTION = /^[A-Za-z][A-Za-z0-9_-]*(:[A-Za-z][A-Za-z0-9_-]*)?$/;

const filters = {
  actor: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[\x21-\x7e]+$/, 'a principal id, e.g. user:alice')
    .optional()
    .describe('Only events of this principal, e.g. user:alice or service:bot (read through the byActor index)'),
  secretId: SecretIdSchema.optional().describe('Only events about this secret id (read through the bySecret index)'),
  path: SecretPathSchema.optional().describe('Only events about this secret path (read through the byPath index)'),
  action: z
    .string()
    .max(64)
    .regex(AUDIT_ACTION, 'an action such as otp:generate')
    .optional()
    .describe('Only events of this action, e.g. otp:generate (a filter: a page may then hold fewer than limit events)'),
  result: z
    .enum(['allowed', 'denied', 'error'])
    .optional()
    .describe('Only events with this result (a filter: a page may then hold fewer than limit events)'),
  from: IsoTimeSchema.optional().describe(
    `Earliest event time, inclusive (ISO 8601). Without actor, secretId or path, from/to span at most ${AUDIT_QUERY_LIMITS.maxTimeWalkDays} days; without both, the last ${AUDIT_QUERY_LIMITS.defaultWindowHours} h`,
  ),
  to: IsoTimeSchema.optional().describe('Latest event time, exclusive (ISO 8601); defaults to now when searching by time alone'),
};

/** Query string of `GET /v1/audit`. */
export const AuditQueryParams = z
  .object({
    ...filters,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(AUDIT_QUERY_LIMITS.maxLimit)
      .default(AUDIT_QUERY_LIMITS.defaultLimit)
      .describe(`Page size, at most ${AUDIT_QUERY_LIMITS.maxLimit} (default ${AUDIT_QUERY_LIMITS.defaultLimit}); filtered pages may hold fewer`),
    cursor: z
      .string()
      .max(AUDIT_QUERY_LIMITS.maxCursorLength)
      .optional()
      .describe('Opaque cursor from the previous page, valid only with the same filters'),
  })
  .strict();
export type AuditQueryParams = z.output<typeof AuditQueryParams>;

/** Query string of `GET /v1/audit/export`. */
export const AuditExportParams = z
  .object({
    ...filters,
    format: z
      .enum(['csv', 'jsonl'])
      .default('csv')
      .describe(`File format: csv (header row, spreadsheet-safe) or jsonl (one event per line); at most ${AUDIT_EXPORT_LIMITS.maxRows} events`),
  })
  .strict();
export type AuditExportParams = z.output<typeof AuditExportParams>;

/** What to look for, shared by query and export. */
export type AuditFilters = Pick<AuditQueryParams, 'actor' | 'secretId' | 'path' | 'action' | 'result' | 'from' | 'to'>;
