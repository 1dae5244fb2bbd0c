/**
 * Symmetric encryption as KMS does it for SYMMETRIC_DEFAULT keys: AES-256-GCM with the encryption
 * context bound as additional authenticated data, in a self-describing ciphertext blob so Decrypt
 * needs no KeyId.
 *
 * Blob layout (all of the header is authenticated too):
 *
 * | bytes | content |
 * | --- | --- |
 * | 1 | format version (`0x01`) |
 * | 1 | length L of the key id |
 * | L | key id (ASCII) |
 * | 12 | GCM IV |
 * | 16 | GCM tag |
 * | rest | ciphertext |
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Largest plaintext KMS encrypts directly, in bytes. */
export const MAX_PLAINTEXT_BYTES = 4096;
/** Largest ciphertext blob KMS accepts, in bytes. */
export const MAX_CIPHERTEXT_BYTES = 6144;

export type EncryptionContext = Record<string, string>;

/** New key material for a SYMMETRIC_DEFAULT key. */
export function generateSymmetricKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * The encryption context as deterministic bytes: pairs sorted by key (by UTF-16 code unit, like
 * `Array.prototype.sort`), serialized as JSON. Order of the caller's map does not matter; an empty
 * context equals no context, as in KMS.
 */
function canonicalContext(context: EncryptionContext): Buffer {
  const pairs = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

function header(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id]);
}

/** Encrypts under a key; returns the ciphertext blob. */
export function seal(keyId: string, material: Buffer, plaintext: Buffer, context: EncryptionContext): Buffer {
  const head = header(keyId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), body]);
}

/** A ciphertext blob split into its parts; nothing in it is trusted until {@link open} succeeds. */
export interface ParsedBlob {
  keyId: string;
  header: Buffer;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

/** Splits a blob; `undefined` if it is not one of ours. */
export function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob.length < 2 || blob[0] !== FORMAT_VERSION) return undefined;
  const idLength = blob[1];
  const ivStart = 2 + idLength;
  const bodyStart = ivStart + IV_BYTES + TAG_BYTES;
  if (blob.length <= bodyStart) return undefined;
  return {
    keyId: blob.subarray(2, ivStart).toString('ascii'),
    header: blob.subarray(0, ivStart),
    iv: blob.subarray(ivStart, ivStart + IV_BYTES),
    tag: blob.subarray(ivStart + IV_BYTES, bodyStart),
    body: blob.subarray(bodyStart),
  };
}

/** Decrypts a parsed blob; `undefined` if the blob, the key or the context does not match. */
export function open(parsed: ParsedBlob, material: Buffer, context: EncryptionContext): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, parsed.iv);
    decipher.setAAD(Buffer.concat([parsed.header, canonicalContext(context)]));
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.body), decipher.final()]);
  } catch {
    return undefined;
  }
}
