import * as z from 'zod';
import { SECRET_LIMITS } from '../../secrets/schema';
import { route } from '../route';
import { input, none } from './inputs';

export const listMySecrets = route({
  op: 'listMySecrets',
  method: 'GET',
  path: '/v1/me/secrets',
  summary: 'Every secret the caller may use, with the actions allowed on each (ids and paths only); any authenticated caller',
  input: input(
    none,
    z
      .object({
        prefix: z.string().max(SECRET_LIMITS.maxPathLength).regex(/^\//, 'prefix starts with "/"').optional().describe('Only paths starting with this'),
      })
      .strict(),
    z.undefined(),
  ),
  authorize: { on: 'caller' },
  grants: { vault: 'read' },
});
