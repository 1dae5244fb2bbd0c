import * as z from 'zod';
import { SECRET_LIMITS, SecretPathSchema } from '../../secrets/schema';
import { route } from '../route';
import { input, none } from './inputs';

export const listSecrets = route({
  op: 'listSecrets',
  method: 'GET',
  path: '/v1/secrets',
  summary: 'List the secrets the caller may secret:read (metadata only), by path prefix or exact path; a page may hold fewer than limit items while nextCursor is present',
  input: input(
    none,
    z
      .object({
        prefix: z.string().max(SECRET_LIMITS.maxPathLength).regex(/^\//, 'prefix starts with "/"').optional().describe('Only paths starting with this'),
        path: SecretPathSchema.optional(),
        limit: z.coerce.number().int().min(1).max(SECRET_LIMITS.listMaxLimit).default(SECRET_LIMITS.listDefaultLimit).describe('Page size'),
        cursor: z.string().max(2048).optional().describe('Opaque cursor from the previous page'),
      })
      .strict(),
    z.undefined(),
  ),
  // The page is then filtered to the secrets the caller may read.
  authorize: { on: 'anywhere', anyOf: ['secret:read'] },
  grants: { vault: 'read' },
});
