/**
 * RSA signatures on a digest the caller already computed (KMS `MessageType: DIGEST`): PKCS #1 v1.5
 * and PSS (RFC 8017, salt length = digest length, MGF1 with the same hash, as KMS uses).
 * node:crypto always hashes what it signs, so the encodings are built here and only the raw RSA
 * operation is left to node:crypto.
 */
import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { DigestName } from '../keySpecs';

/** DER DigestInfo prefixes (RFC 8017, 9.2 note 1). */
const DIGEST_INFO_PREFIX: Record<DigestName, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined) throw new Error('not an RSA key');
  return bits;
}

function hash(name: DigestName, ...parts: Uint8Array[]): Buffer {
  const h = createHash(name);
  for (const part of parts) h.update(part);
  return h.digest();
}

function mgf1(name: DigestName, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length; counter += 1) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(hash(name, seed, c));
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xor(a: Uint8Array, b: Uint8Array): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
}

/** PKCS #1 v1.5 signature over a digest. */
export function signPkcs1Digest(privateKey: KeyObject, hashName: DigestName, digest: Uint8Array): Buffer {
  const digestInfo = Buffer.concat([DIGEST_INFO_PREFIX[hashName], digest]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
}

export function verifyPkcs1Digest(
  publicKey: KeyObject,
  hashName: DigestName,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length * 8 !== modulusBits(publicKey)) return false;
  const expected = Buffer.concat([DIGEST_INFO_PREFIX[hashName], digest]);
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}

/** RSASSA-PSS signature over a digest (EMSA-PSS-ENCODE, RFC 8017 9.1.1). */
export function signPssDigest(privateKey: KeyObject, hashName: DigestName, digest: Uint8Array): Buffer {
  const bits = modulusBits(privateKey);
  const emBits = bits - 1;
  const emLength = Math.ceil(emBits / 8);
  const hashLength = digest.length;
  const salt = randomBytes(hashLength);
  const h = hash(hashName, Buffer.alloc(8), digest, salt);
  const db = Buffer.concat([Buffer.alloc(emLength - 2 * hashLength - 2), Buffer.from([0x01]), salt]);
  const maskedDb = xor(db, mgf1(hashName, h, db.length));
  maskedDb[0] &= 0xff >> (8 * emLength - emBits);
  const em = Buffer.concat([maskedDb, h, Buffer.from([0xbc])]);
  const block = Buffer.concat([Buffer.alloc(Math.ceil(bits / 8) - emLength), em]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
}

/** EMSA-PSS-VERIFY (RFC 8017 9.1.2) with salt length = digest length. */
export function verifyPssDigest(
  publicKey: KeyObject,
  hashName: DigestName,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const bits = modulusBits(publicKey);
  if (signature.length !== Math.ceil(bits / 8)) return false;
  let block: Buffer;
  try {
    block = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = bits - 1;
  const emLength = Math.ceil(emBits / 8);
  const hashLength = digest.length;
  if (block.subarray(0, block.length - emLength).some((byte) => byte !== 0)) return false;
  const em = block.subarray(block.length - emLength);
  if (emLength < 2 * hashLength + 2 || em[em.length - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLength - hashLength - 1);
  const h = em.subarray(emLength - hashLength - 1, emLength - 1);
  const topBits = 8 * emLength - emBits;
  if ((maskedDb[0] & ~(0xff >> topBits) & 0xff) !== 0) return false;
  const db = xor(maskedDb, mgf1(hashName, h, maskedDb.length));
  db[0] &= 0xff >> topBits;
  const separator = db.length - hashLength - 1;
  if (db.subarray(0, separator).some((byte) => byte !== 0) || db[separator] !== 0x01) return false;
  const salt = db.subarray(separator + 1);
  const expected = hash(hashName, Buffer.alloc(8), digest, salt);
  return timingSafeEqual(expected, h);
}
