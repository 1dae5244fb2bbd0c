/**
 * Checks an AWS Signature Version 4 `Authorization` header the way the real services do: the
 * request is signed again with the secret of the access key it names (`@smithy/signature-v4`, the
 * SDK's own signer) and the two signatures must match. Used by the KMS emulator and the local S3
 * server, so only holders of the local stack's credentials (`local/credentials.ts`) get in. The local
 * IAM API, whose rules are API Gateway's, computes its signatures here too (`computeSignature`).
 */
import { createHash, createHmac, timingSafeEqual, type BinaryLike, type Hash, type Hmac } from 'node:crypto';
import type { SourceData } from '@smithy/types';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Why a request was refused; each service names these in its own words. */
export type SignatureProblem =
  | 'missing' // no Authorization header
  | 'incomplete' // header present but not a well-formed SigV4 header
  | 'unknownKey' // the access key id is not one of ours
  | 'mismatch' // the signature does not match
  | 'expired'; // signed more than 15 minutes away from now

export type SignatureCheck =
  | { ok: true; accessKeyId: string; region: string; service: string }
  | { ok: false; problem: SignatureProblem; message: string };

export interface SignedRequest {
  method: string;
  /** The raw request target, path and query, as received (`request.url`). */
  url: string;
  headers: IncomingHttpHeaders;
  /**
   * The body, checked against `x-amz-content-sha256` when that is given, else hashed into the
   * signature. Left out for S3, whose bodies stream: there the signed header's hash is trusted.
   */
  body?: Buffer;
}

export interface VerifyOptions {
  secretOf(accessKeyId: string): Promise<string | undefined>;
  /** S3 signs the path as sent; other services escape it once more. */
  uriEscapePath: boolean;
  now?: Date;
}

/** AWS allows this much clock difference between signer and service. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * The service's clock is the machine's, as AWS's is the world's: a test that moves `Date` (the
 * shifted-clock project) moves the vault, not the services it calls. `performance` is never faked.
 */
const serviceNow = (): Date => new Date(performance.timeOrigin + performance.now());

const HEADER = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `@smithy/signature-v4` wants a hash class; node:crypto gives SHA-256 and HMAC-SHA-256. */
class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret?: BinaryLike;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined || typeof secret === 'string' ? secret : ArrayBuffer.isView(secret) ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength) : new Uint8Array(secret);
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function refused(problem: SignatureProblem, message: string): SignatureCheck {
  return { ok: false, problem, message };
}

/**
 * Verifies the request's SigV4 header.
 *
 * @param request - Method, raw URL, headers and (unless hashed in a header) the body.
 * @param options - Where secrets come from, and how the service canonicalizes paths.
 * @example
 * const check = await verifySignature({ method, url, headers, body }, { secretOf, uriEscapePath: true });
 */
export async function verifySignature(request: SignedRequest, options: VerifyOptions): Promise<SignatureCheck> {
  const authorization = request.headers.authorization;
  if (authorization === undefined || authorization === '') return refused('missing', 'Missing Authentication Token');
  const parts = HEADER.exec(authorization);
  const amzDate = request.headers['x-amz-date'];
  if (parts === null) {
    return refused('incomplete', 'Authorization header requires Credential, SignedHeaders and Signature of an AWS4-HMAC-SHA256 signature.');
  }
  const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] = parts;
  const date = typeof amzDate === 'string' ? AMZ_DATE.exec(amzDate) : null;
  const signedHeaders = signedHeaderList.split(';');
  if (date === null || !signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date') || !String(amzDate).startsWith(shortDate)) {
    return refused('incomplete', 'The request must carry X-Amz-Date and sign it and Host, with the date of the credential scope.');
  }
  const signingDate = new Date(Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]));
  const now = options.now ?? serviceNow();
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    return refused('expired', `Signature expired: ${amzDate} is more than 15 minutes away from the server time.`);
  }
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (request.body !== undefined && typeof declaredHash === 'string' && /^[0-9a-f]{64}$/.test(declaredHash)) {
    // The signature covers the declared hash; the body must be the one hashed.
    if (createHash('sha256').update(request.body).digest('hex') !== declaredHash) {
      return refused('mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }
  const secretAccessKey = await options.secretOf(accessKeyId);
  if (secretAccessKey === undefined) return refused('unknownKey', 'The security token included in the request is invalid.');

  const computed = await computeSignature({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    signedHeaders,
    signingDate,
    region,
    service,
    credentials: { accessKeyId, secretAccessKey },
    uriEscapePath: options.uriEscapePath,
  });
  if (typeof computed !== 'string') return refused('incomplete', `The signed header ${computed.missingHeader} is missing from the request.`);
  if (!sameSignature(computed, signature)) {
    return refused(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return { ok: true, accessKeyId, region, service };
}

/** Whether two signatures (64 hex digits each) are the same, in constant time. */
export function sameSignature(computed: string, given: string): boolean {
  return computed.length === 64 && given.length === 64 && timingSafeEqual(Buffer.from(computed, 'hex'), Buffer.from(given, 'hex'));
}

/** What {@link computeSignature} signs: a request as it arrived, and the signer's scope and key. */
export interface SignatureInput {
  method: string;
  /** The raw request target, path and query, as received. */
  url: string;
  /** The request's headers, lower-case names; only the signed ones are read. */
  headers: IncomingHttpHeaders;
  /** Hashed into the signature when given (else the signed `x-amz-content-sha256` stands for it). */
  body?: Uint8Array;
  signedHeaders: readonly string[];
  signingDate: Date;
  region: string;
  service: string;
  /** With a session token, the signature covers the token the credentials hold, not the one sent. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** S3 signs the path as sent; other services escape it once more. */
  uriEscapePath: boolean;
}

/**
 * The signature (64 hex digits) the request should carry, recomputed with the SDK's own signer; or
 * the name of a signed header the request does not have.
 */
export async function computeSignature(input: SignatureInput): Promise<string | { missingHeader: string }> {
  const target = new URL(input.url, 'http://signed.invalid');
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of target.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const headers: Record<string, string> = {};
  for (const name of input.signedHeaders) {
    if (name === 'x-amz-date') continue; // the signer writes it from signingDate
    const value = input.headers[name];
    if (value === undefined) return { missingHeader: name };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({
    service: input.service,
    region: input.region,
    credentials: input.credentials,
    sha256: NodeSha256,
    uriEscapePath: input.uriEscapePath,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    { method: input.method, protocol: 'http:', hostname: headers.host ?? target.hostname, path: rawPath(input.url), query, headers, body: input.body },
    { signingDate: input.signingDate, signableHeaders: new Set(input.signedHeaders) },
  );
  return /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
}

/** The path exactly as sent: S3 signs it without decoding and encoding again. */
function rawPath(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
