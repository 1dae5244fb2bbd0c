import { SECRET_ACTIONS, type Action, type PermissionSummary } from '../policy';
import type { SecretLocation, SecretStore } from '../secrets/SecretStore';
import { searchPrefixes } from './searchPrefixes';

/** A secret the caller may use, with what it may do there. */
export interface MySecret {
  id: string;
  path: string;
  /** Allowed actions, in catalogue order (`otp:generate` present means the OTP button works). */
  actions: Action[];
}

export interface MySecrets {
  items: MySecret[];
  /** Secrets read from the path index to find them (what the answer cost). */
  examined: number;
  /** Path prefixes read (`''` = the whole index). */
  prefixes: string[];
}

/** What the caller's policies let it do, now: the two engine views this needs. */
export interface CallerAccess {
  summary(): PermissionSummary[];
  permissionsFor(paths: readonly string[]): Map<string, Action[]>;
}

/** Prefix reads in flight at once. */
const PARALLEL_READS = 4;

/**
 * Every secret the caller may do something with, and what. Reads only ids and paths, and only
 * under the literal prefixes of the caller's applicable allows (all of the index only for
 * callers allowed under `/**` or a pattern starting with a wildcard); then asks the engine for
 * every path at once (`permissionsFor`, conditions evaluated once per policy).
 *
 * @param store - the secret store (its `listPaths` reads the `byKind` index with a projection)
 * @param access - the caller's rules for this request
 * @param within - only secrets whose path starts with this
 * @example
 * const mine = await mySecrets(deps.secrets, caller, '/aws');
 */
export async function mySecrets(store: Pick<SecretStore, 'listPaths'>, access: CallerAccess, within?: string): Promise<MySecrets> {
  const patterns = access
    .summary()
    .filter((row) => SECRET_ACTIONS.includes(row.action))
    .flatMap((row) => row.allow);
  const prefixes = searchPrefixes(patterns, within);
  const found = await readAll(store, prefixes);
  const permissions = access.permissionsFor(found.map((s) => s.path));
  const items = found
    .map((s) => ({ id: s.id, path: s.path, actions: permissions.get(s.path) ?? [] }))
    .filter((s) => s.actions.length > 0)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { items, examined: found.length, prefixes };
}

async function readAll(store: Pick<SecretStore, 'listPaths'>, prefixes: readonly string[]): Promise<SecretLocation[]> {
  const results: SecretLocation[][] = [];
  for (let i = 0; i < prefixes.length; i += PARALLEL_READS) {
    results.push(...(await Promise.all(prefixes.slice(i, i + PARALLEL_READS).map((p) => store.listPaths(p)))));
  }
  // Prefixes never overlap, so a secret appears once.
  return results.flat();
}
