import { Secret } from 'otpauth';

/** RFC 4648 base32 without padding, upper case: the form the Key Uri Format uses. */
const CANONICAL_BASE32 = /^[A-Z2-7]*$/;
/** Unpadded base32 lengths that cannot come from whole bytes (1, 3 or 6 characters past a block of 8). */
const IMPOSSIBLE_TAILS = new Set([1, 3, 6]);

/**
 * Encodes key bytes as canonical base32 (upper case, no padding).
 *
 * @param key - raw key bytes
 * @example
 * toBase32(new TextEncoder().encode('Hello!')); // 'JBSWY3DPEE'
 */
export function toBase32(key: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(key).buffer }).base32;
}

/**
 * Whether `text` is canonical base32 that decodes to whole bytes. Callers normalise user input first
 * (case, padding, separators): see `shared/seed/base32Text.ts`.
 *
 * @param text - candidate base32 text
 * @example
 * isCanonicalBase32('JBSWY3DPEE'); // true
 */
export function isCanonicalBase32(text: string): boolean {
  return CANONICAL_BASE32.test(text) && !IMPOSSIBLE_TAILS.has(text.length % 8);
}

/**
 * Decodes canonical base32 (see `isCanonicalBase32`). Throws a `RangeError` that never quotes the input.
 *
 * @param text - canonical base32
 * @example
 * fromBase32('JBSWY3DPEE'); // bytes of 'Hello!'
 */
export function fromBase32(text: string): Uint8Array {
  if (!isCanonicalBase32(text)) throw new RangeError('not canonical base32');
  return Uint8Array.from(Secret.fromBase32(text).bytes);
}
