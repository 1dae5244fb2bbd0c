/**
 * ECDSA over NIST P-256 on a digest the caller already computed (KMS `MessageType: DIGEST`).
 * node:crypto always hashes what it signs, so the curve arithmetic is done here with BigInt.
 * Not constant-time: good enough for a local emulator, never for real keys.
 */
import { randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const A = P - 3n;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

interface Point {
  x: bigint;
  y: bigint;
}
/** `null` is the point at infinity. */
type CurvePoint = Point | null;

function mod(value: bigint, modulus: bigint): bigint {
  const result = value % modulus;
  return result >= 0n ? result : result + modulus;
}

function invert(value: bigint, modulus: bigint): bigint {
  let [low, high] = [mod(value, modulus), modulus];
  let [lowCoefficient, highCoefficient] = [1n, 0n];
  while (low > 1n) {
    const ratio = high / low;
    [low, high] = [high - ratio * low, low];
    [lowCoefficient, highCoefficient] = [highCoefficient - ratio * lowCoefficient, lowCoefficient];
  }
  return mod(lowCoefficient, modulus);
}

function add(a: CurvePoint, b: CurvePoint): CurvePoint {
  if (a === null) return b;
  if (b === null) return a;
  if (a.x === b.x && mod(a.y + b.y, P) === 0n) return null;
  const slope =
    a.x === b.x
      ? mod((3n * a.x * a.x + A) * invert(2n * a.y, P), P)
      : mod((b.y - a.y) * invert(b.x - a.x, P), P);
  const x = mod(slope * slope - a.x - b.x, P);
  return { x, y: mod(slope * (a.x - x) - a.y, P) };
}

function multiply(point: Point, scalar: bigint): CurvePoint {
  let result: CurvePoint = null;
  let addend: CurvePoint = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function fromBase64Url(value: string | undefined): bigint {
  if (value === undefined) throw new Error('EC key is missing a JWK coordinate');
  return toBigInt(Buffer.from(value, 'base64url'));
}

/** The digest as an integer, truncated to the bit length of the group order (SEC 1, 4.1.3). */
function digestToInteger(digest: Uint8Array): bigint {
  const value = toBigInt(digest);
  const excessBits = digest.length * 8 - 256;
  return excessBits > 0 ? value >> BigInt(excessBits) : value;
}

function randomScalar(): bigint {
  for (;;) {
    const candidate = toBigInt(randomBytes(32));
    if (candidate > 0n && candidate < N) return candidate;
  }
}

function encodeDerInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, DER as KMS returns it. */
function encodeSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([encodeDerInteger(r), encodeDerInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

function decodeSignature(signature: Uint8Array): { r: bigint; s: bigint } | undefined {
  const bytes = Buffer.from(signature);
  if (bytes.length < 8 || bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2) return undefined;
  const integers: bigint[] = [];
  let offset = 2;
  while (offset < bytes.length) {
    const length = bytes[offset + 1];
    if (bytes[offset] !== 0x02 || length === undefined || length === 0 || offset + 2 + length > bytes.length) {
      return undefined;
    }
    integers.push(toBigInt(bytes.subarray(offset + 2, offset + 2 + length)));
    offset += 2 + length;
  }
  if (integers.length !== 2) return undefined;
  const [r, s] = integers;
  return { r, s };
}

/** Signs a digest with a P-256 private key; returns a DER signature. */
export function signDigest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const d = fromBase64Url(privateKey.export({ format: 'jwk' }).d);
  const e = digestToInteger(digest);
  for (;;) {
    const k = randomScalar();
    const point = multiply(G, k);
    if (point === null) continue;
    const r = mod(point.x, N);
    if (r === 0n) continue;
    const s = mod(invert(k, N) * (e + r * d), N);
    if (s === 0n) continue;
    return encodeSignature(r, s);
  }
}

/** Verifies a DER signature over a digest with a P-256 public key. */
export function verifyDigest(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const parsed = decodeSignature(signature);
  if (parsed === undefined) return false;
  const { r, s } = parsed;
  if (r <= 0n || r >= N || s <= 0n || s >= N) return false;
  // Reject non-minimal or otherwise non-canonical encodings by re-encoding.
  const canonical = encodeSignature(r, s);
  if (canonical.length !== signature.length || !timingSafeEqual(canonical, Buffer.from(signature))) return false;
  const jwk = publicKey.export({ format: 'jwk' });
  const q: Point = { x: fromBase64Url(jwk.x), y: fromBase64Url(jwk.y) };
  const w = invert(s, N);
  const point = add(multiply(G, mod(digestToInteger(digest) * w, N)), multiply(q, mod(r * w, N)));
  return point !== null && mod(point.x, N) === r;
}
