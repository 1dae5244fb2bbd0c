import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '../../shared/client/client';
import { configDir, writeConfigFile } from './config';
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

const ID_CACHE = 'secret-ids.json';
type IdCache = Record<string, Record<string, string>>;

/**
 * Runs `use` with the secret's id, remembering the id of a path per API (`secret-ids.json` in the
 * config directory) so that `otp <path>` makes one request, not two. Ids are not secret; a
 * remembered id that the API refuses (403/404: the secret was deleted and made again) is looked
 * up afresh and tried once more, and an id that is still the path's gets the API's own answer.
 */
export async function withSecretId<T>(client: Client, baseUrl: string, ref: string, use: (secretId: string) => Promise<T>): Promise<T> {
  if (!ref.startsWith('/')) return use(ref);
  const cache = await readCache();
  const remembered = cache[baseUrl]?.[ref];
  if (remembered) {
    try {
      return await use(remembered);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status !== 403 && status !== 404) throw error;
      const current = await secretIdOf(client, ref).catch(() => undefined);
      if (current === remembered) throw error;
      await remember(baseUrl, ref, current);
      if (current === undefined) throw new CliError(`no secret at ${ref} that you may use`, EXIT.notFound);
      return use(current);
    }
  }
  const secretId = await secretIdOf(client, ref);
  await remember(baseUrl, ref, secretId);
  return use(secretId);
}

async function readCache(): Promise<IdCache> {
  try {
    return JSON.parse(await readFile(join(configDir(), ID_CACHE), 'utf8')) as IdCache;
  } catch {
    return {};
  }
}

async function remember(baseUrl: string, path: string, secretId: string | undefined): Promise<void> {
  const cache = await readCache();
  const forApi = (cache[baseUrl] ??= {});
  if (secretId === undefined) delete forApi[path];
  else forApi[path] = secretId;
  await writeConfigFile(ID_CACHE, cache);
}
