import * as z from 'zod';
import { canonicalJson } from './canonicalJson';

/**
 * A digest, like a CloudTrail digest file: the SHA-256 of every archive object written since the
 * previous digest, that digest's key and SHA-256 (so digests form a hash chain), and a KMS
 * signature over all of it.
 */

export const DIGEST_VERSION = 1;
/** KMS signing algorithm of the ECC_NIST_P256 key. */
export const DIGEST_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/** One archive object a digest vouches for. */
export interface DigestedObject {
  key: string;
  /** SHA-256 (hex) of the object's bytes as stored (gzip). */
  sha256: string;
  bytes: number;
  events: number;
  firstEventId: string;
  lastEventId: string;
}

/** The signed part of a digest. */
export interface DigestPayload {
  version: typeof DIGEST_VERSION;
  /** Position in the chain, from 1. */
  seq: number;
  /** The digest's own key, so a copy at another key is recognised. */
  key: string;
  /** ISO time the digest was made. */
  time: string;
  /** The digest before this one; null only for the first. */
  previous: { key: string; sha256: string } | null;
  objects: DigestedObject[];
}

export interface DigestSignature {
  /** ARN of the KMS key that signed. */
  keyId: string;
  algorithm: typeof DIGEST_SIGNING_ALGORITHM;
  /** KMS signed the SHA-256 of the canonical payload (`MessageType: DIGEST`). */
  messageType: 'DIGEST';
  /** DER-encoded ECDSA signature, base64. */
  value: string;
}

export interface Digest extends DigestPayload {
  signature: DigestSignature;
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const DigestSchema = z.object({
  version: z.literal(DIGEST_VERSION),
  seq: z.number().int().min(1),
  key: z.string().min(1),
  time: z.string().min(1),
  previous: z.object({ key: z.string().min(1), sha256: sha256Hex }).nullable(),
  objects: z.array(
    z.object({
      key: z.string().min(1),
      sha256: sha256Hex,
      bytes: z.number().int().min(0),
      events: z.number().int().min(0),
      firstEventId: z.string(),
      lastEventId: z.string(),
    }),
  ),
  signature: z.object({
    keyId: z.string().min(1),
    algorithm: z.literal(DIGEST_SIGNING_ALGORITHM),
    messageType: z.literal('DIGEST'),
    value: z.string().min(1),
  }),
});

/** The bytes the signature covers: the canonical JSON of the payload (everything but the signature). */
export function signedBytes(digest: DigestPayload): Buffer {
  const { version, seq, key, time, previous, objects } = digest;
  return Buffer.from(canonicalJson({ version, seq, key, time, previous, objects }), 'utf8');
}

/** The digest as stored: indented JSON, readable in the console. */
export function serializeDigest(digest: Digest): Buffer {
  return Buffer.from(`${JSON.stringify(digest, null, 2)}\n`, 'utf8');
}

/** Parses stored digest bytes; undefined when they are not a digest of this version. */
export function parseDigest(bytes: Buffer): Digest | undefined {
  try {
    const parsed = DigestSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Sequence number in a digest key (`...-0000000042.json`), or undefined for another key. */
export function seqOfDigestKey(key: string): number | undefined {
  const match = /-(\d{10})\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}
