import { secretIdOf } from '../access/RequestAccess';
import type { SeedRecord } from '../secrets/model';
import type { SecretStore } from '../secrets/SecretStore';
import type { RouteDefinition } from './route';

/** What a row reads with its decision (`readsWithDecision`), for its handler once the request is allowed. */
export interface ReadAhead {
  /** The secret's seed item as read with the decision (`item` undefined: it had none). */
  seed?: { item: SeedRecord | undefined };
}

/**
 * Starts the reads a row asks for beside its decision. Called in the same turn as the decision's
 * reads, so they share one BatchGetItem (`ConsistentReads`). Nothing read here is decrypted or
 * returned unless the request is allowed: the caller hands it to the handler only then.
 */
export async function readAheadOf(route: Pick<RouteDefinition, 'authorize' | 'readsWithDecision'>, input: unknown, secrets: Pick<SecretStore, 'getSeed'>): Promise<ReadAhead> {
  if (route.authorize.on !== 'secret' || !route.readsWithDecision.includes('seed')) return {};
  return { seed: { item: await secrets.getSeed(secretIdOf(input)) } };
}
