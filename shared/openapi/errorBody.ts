import * as z from 'zod';

/** The shape of every error answer (`shared/api/httpResponse.ts` writes it; the local runner's gates too). */
export const ErrorBodySchema = z
  .object({
    error: z
      .object({
        code: z.string().describe('Stable machine-readable code, e.g. InvalidInput, Forbidden, SecretNotFound, AuditUnavailable'),
        message: z.string().describe('What went wrong, for people; never holds a secret value'),
        details: z.record(z.string(), z.unknown()).optional().describe('Structured context, e.g. the offending field'),
      })
      .describe('The error'),
  })
  .describe('Error answer');

/** Error statuses the vault answers, with what each means. */
export const ERROR_STATUSES = {
  400: 'Invalid input (nothing was changed)',
  401: 'No credentials: send "Authorization: Bearer <token>" or sign with SigV4 on the IAM API',
  403: 'Credentials refused, or the policies do not allow this (audited)',
  404: 'No such item (for callers allowed on every path; others get 403)',
  409: 'Conflict with the current state (version mismatch, no seed, recovery codes used up, ...)',
  413: 'Request body too large',
  415: 'Unsupported media type (send application/json)',
  500: 'Internal error (the message names the request id)',
  503: 'The audit log could not record the request, so it was refused; nothing was returned or changed',
} as const;
