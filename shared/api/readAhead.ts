import { secretIdOf } from '../access/RequestAccess';
import type { Handout, SeedRecord } from '../secrets/model';
import type { SecretStore } from '../secrets/SecretStore';
import type { RouteDefinition } from './route';

/** What a row reads with its decision (`readsWithDecision`), for its handler once the request is allowed. */
export interface ReadAhead {
  /** The secret's seed item as read with the decision (`item` undefined: it had none). */
  seed?: { item: SeedRecord | undefined };
  /** Who had the latest step's code first, as read with the decision (`item` undefined: nobody yet). */
  lastCode?: { item: Handout | undefined };
}

/**
 * Starts the reads a row asks for beside its decision. Called in the same turn as the decision's
 * reads, so they share one BatchGetItem (`ConsistentReads`). Nothing read here is decrypted or
 * returned unless the request is allowed: the caller hands it to the handler only then.
 */
export async function readAheadOf(
  route: Pick<RouteDefinition, 'authorize' | 'readsWithDecision'>,
  input: unknown,
  secrets: Pick<SecretStore, 'getSeed' | 'getLastCode'>,
): Promise<ReadAhead> {
  if (route.authorize.on !== 'secret' || route.readsWithDecision.length === 0) return {};
  const id = secretIdOf(input);
  const wants = (item: RouteDefinition['readsWithDecision'][number]) => route.readsWithDecision.includes(item);
  const [seed, lastCode] = await Promise.all([wants('seed') ? secrets.getSeed(id) : undefined, wants('lastCode') ? secrets.getLastCode(id) : undefined]);
  return { ...(wants('seed') ? { seed: { item: seed } } : {}), ...(wants('lastCode') ? { lastCode: { item: lastCode } } : {}) };
}
