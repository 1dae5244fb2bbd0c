import { InvalidInputError, InvalidSeedError } from '../errors';
import { SEED_LIMITS } from './limits';
import type { Seed } from './types';

/** One account an input offers, named without touching its key; `toSeed` applies the policy checks. */
export interface SeedCandidate {
  issuer: string;
  account: string;
  toSeed(): Seed;
}

/** How people see an account in a list: `Issuer (account)`. */
function accountName(c: Pick<SeedCandidate, 'issuer' | 'account'>): string {
  if (c.issuer !== '' && c.account !== '') return `${c.issuer} (${c.account})`;
  return c.issuer || c.account || '(no name)';
}

/**
 * Picks the account to import. One account: that one. Several: `entry` (1-based) must say which; without
 * it the error lists every account by issuer and account name (never a key) with its number, so the
 * caller can send the same input again with `entry`. Decision: we do not import "the first" silently,
 * and we do not import all of them, since one request creates one vault item.
 *
 * @param candidates - the accounts in input order
 * @param entry - the caller's choice, if any
 * @param note - an extra sentence for the errors (e.g. "this QR code is part 1 of 3 of the export")
 * @example
 * chooseSeed([candidate], undefined); // candidate.toSeed()
 */
export function chooseSeed(candidates: readonly SeedCandidate[], entry: number | undefined, note = ''): Seed {
  const suffix = note === '' ? '' : ` (${note})`;
  if (candidates.length === 0) {
    throw new InvalidSeedError(`the export holds no accounts: there is nothing to import${suffix}`, { field: 'uri' });
  }
  if (entry !== undefined) {
    if (!Number.isSafeInteger(entry) || entry < 1 || entry > candidates.length) {
      const holds = candidates.length === 1 ? 'holds 1 account' : `holds ${candidates.length} accounts`;
      throw new InvalidInputError(`entry must be a number from 1 to ${candidates.length}: the input ${holds}`, { field: 'entry' });
    }
    return candidates[entry - 1].toSeed();
  }
  if (candidates.length === 1) return candidates[0].toSeed();

  const shown = candidates.slice(0, SEED_LIMITS.maxListedAccounts).map((c, i) => `${i + 1}. ${accountName(c)}`);
  const more = candidates.length - shown.length;
  const list = shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
  throw new InvalidSeedError(
    `the input holds ${candidates.length} accounts: ${list}. Send it again with entry set to the number of the account to add, ` +
      `or export only that account from the authenticator app${suffix}`,
    { field: 'entry', accounts: candidates.map((c, i) => ({ entry: i + 1, issuer: c.issuer, account: c.account })) },
  );
}
