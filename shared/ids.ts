import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_DIGITS = 16;

/** The last id made in this process: a second id in the same millisecond follows it (ULID's monotonic rule). */
let last: { ms: number; random: number[] } | undefined;

/**
 * A ULID: 48-bit millisecond time + 80 random bits in Crockford base32. Sorts by creation time,
 * which keeps audit events and cursors in order without a counter. Ids made in the same
 * millisecond by this process sort in the order they were made: the random part of the second is
 * the first's plus one.
 */
export function ulid(nowMs: number = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = last?.ms === nowMs ? increment(last.random) : undefined;
  const digits = random ?? fresh();
  last = { ms: nowMs, random: digits };
  return time + digits.map((d) => CROCKFORD[d]).join('');
}

function fresh(): number[] {
  return [...randomBytes(RANDOM_DIGITS)].map((byte) => byte % 32);
}

/** The base-32 number one up, or undefined when it is all 31s (then a fresh one; 2^-80 odds). */
function increment(digits: readonly number[]): number[] | undefined {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if ((next[i] as number) < 31) {
      next[i] = (next[i] as number) + 1;
      return next;
    }
    next[i] = 0;
  }
  return undefined;
}
