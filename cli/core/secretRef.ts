import type { Client } from '../../shared/client/client';
import { CliError, EXIT } from './errors';

/**
 * The id of a secret named by path (`/aws/root`) or id. A path is looked up among the secrets the
 * caller may use (`GET /v1/me/secrets`), so it needs no secret:read; a path the caller may not
 * use is "not found" (exit 5), like an id it may not use is "denied" by the API.
 */
export async function secretIdOf(client: Client, ref: string): Promise<string> {
  if (!ref.startsWith('/')) return ref;
  const { items } = await client.call('listMySecrets', { query: { prefix: ref } });
  const found = items.find((item) => item.path === ref);
  if (!found) throw new CliError(`no secret at ${ref} that you may use`, EXIT.notFound);
  return found.id;
}
