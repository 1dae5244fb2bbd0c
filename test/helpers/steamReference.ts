import { createHmac } from 'node:crypto';

/*
 * An independent Steam Guard (and decimal HOTP) reference for tests, written from the algorithm's description rather than
 * from the vault's code: node:crypto HMAC-SHA1 (not otpauth), RFC 4226 section 5.3 dynamic truncation by
 * hand, then base 26 in Steam's alphabet, least significant character first. The vault's code must agree
 * with it, and it must agree with the published codes (see test/shared/otp/steam.test.ts).
 */

const ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

/** RFC 4226 dynamic truncation of HMAC-SHA1(key, counter as 8 bytes big-endian): a 31-bit number. */
export function referenceTruncated(key: Uint8Array, counter: number): number {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return mac.readUInt32BE(offset) & 0x7fffffff;
}

/** A 31-bit value written as Steam writes it: 5 base-26 digits, least significant first. */
export function referenceSteamText(value: number): string {
  let rest = value;
  let text = '';
  for (let i = 0; i < 5; i += 1) {
    text += ALPHABET.charAt(rest % 26);
    rest = Math.floor(rest / 26);
  }
  return text;
}

/** The Steam Guard code at `unixSeconds` (30 s steps from the epoch). */
export function referenceSteamCode(key: Uint8Array, unixSeconds: number): string {
  return referenceSteamText(referenceTruncated(key, Math.floor(unixSeconds / 30)));
}

/** The RFC 4226 decimal code of `digits` digits for a counter, from the same independent HMAC. */
export function referenceDecimalCode(key: Uint8Array, counter: number, digits = 6): string {
  return String(referenceTruncated(key, counter) % 10 ** digits).padStart(digits, '0');
}
