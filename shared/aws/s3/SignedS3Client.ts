/**
 * The five S3 calls the audit archive makes (PutObject, GetObject, HeadObject, ListObjectVersions,
 * ListObjectsV2) as plain HTTPS requests signed with SigV4 (`@smithy/signature-v4`, which the
 * Lambda runtime provides and the DynamoDB and KMS clients load anyway). Importing
 * `@aws-sdk/client-s3` cost the two archive functions about 140 ms of CPU at every cold start,
 * more than half of the floor of the three clients every function imports (bench/bundles.ts).
 *
 * What the SDK did for these calls and the archive relies on is done here too: conditional puts
 * (`If-None-Match`) whose refusal is an error named `PreconditionFailed`; Content-MD5 on every put
 * (S3 requires an integrity header on puts into an Object Lock bucket); S3's error codes as error
 * names; listings followed page by page; retries of throttling, 5xx answers and network failures;
 * and the correction of a skewed clock from the server's `Date` (as the SDK's `systemClockOffset`).
 */
import { createHash } from 'node:crypto';
import type { SignatureV4 as Signer } from '@smithy/signature-v4';
import { WebCryptoSha256 } from '../../client/sha256';
import type { AwsCredentials } from '../../client/sigv4';
import { SignatureV4 } from '../runtimeModules';
import { codeOfStatus, S3Error } from './S3Error';
import { MalformedS3XmlError, readKeysPage, readS3Error, readVersionsPage, type ObjectVersion } from './s3Xml';

export interface SignedS3ClientOptions {
  region: string;
  /** Called before every request (providers cache and refresh on their own). */
  credentials: () => Promise<AwsCredentials>;
  /** An S3-compatible server (the local stack's): addressed path-style under this URL. @default AWS, virtual-hosted */
  endpoint?: string;
  /** Attempts per call for throttling, 5xx and network failures. @default 3 */
  maxAttempts?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface PutObjectInput {
  bucket: string;
  key: string;
  body: Uint8Array;
  contentType?: string;
  contentEncoding?: string;
  /** User metadata, sent as `x-amz-meta-<name>`. */
  metadata?: Record<string, string>;
  /** `*`: create only; S3 answers 412 PreconditionFailed when the key exists. */
  ifNoneMatch?: '*';
  /** SSE-KMS, with this key when given (else the bucket's default KMS key). */
  kms?: { keyId?: string; bucketKey?: boolean };
}

/** S3 answers a request signed more than 15 minutes away from its clock with RequestTimeTooSkewed. */
const SKEW_TOLERANCE_MS = 5 * 60_000;
const EMPTY_SHA256 = createHash('sha256').digest('hex');
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRIED_CODES = new Set(['SlowDown', 'RequestTimeout', 'InternalError', 'ServiceUnavailable', 'Throttling', 'ThrottlingException']);
const SKEW_CODES = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'SignatureDoesNotMatch', 'InvalidSignatureException']);

interface S3Request {
  operation: string;
  method: 'GET' | 'HEAD' | 'PUT';
  bucket: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

interface S3Answer {
  status: number;
  headers: Headers;
  body: Buffer;
}

export class SignedS3Client {
  private readonly signer: Signer;
  private readonly fetch: typeof fetch;
  private readonly maxAttempts: number;
  /** How far the servers' clock is from ours (learned from a skew refusal), as the SDK keeps it. */
  private clockOffsetMs = 0;

  constructor(private readonly options: SignedS3ClientOptions) {
    this.signer = new SignatureV4({
      credentials: options.credentials,
      region: options.region,
      service: 's3',
      sha256: WebCryptoSha256,
      // S3 signs the path as sent (each segment encoded once, here), unlike other services.
      uriEscapePath: false,
      // x-amz-content-sha256 is set below, hashed once with node:crypto.
      applyChecksum: false,
    });
    this.fetch = options.fetch ?? globalThis.fetch;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  }

  /** PutObject. @throws S3Error `PreconditionFailed` when `ifNoneMatch` is set and the key exists. */
  async putObject(input: PutObjectInput): Promise<void> {
    const headers: Record<string, string> = {
      // Object Lock buckets refuse puts without an integrity header; Content-MD5 is the one every S3 accepts.
      'content-md5': createHash('md5').update(input.body).digest('base64'),
    };
    if (input.contentType) headers['content-type'] = input.contentType;
    if (input.contentEncoding) headers['content-encoding'] = input.contentEncoding;
    if (input.ifNoneMatch) headers['if-none-match'] = input.ifNoneMatch;
    for (const [name, value] of Object.entries(input.metadata ?? {})) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
    if (input.kms) {
      headers['x-amz-server-side-encryption'] = 'aws:kms';
      if (input.kms.keyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = input.kms.keyId;
      if (input.kms.bucketKey) headers['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
    }
    await this.send({ operation: 'PutObject', method: 'PUT', bucket: input.bucket, key: input.key, headers, body: input.body });
  }

  /**
   * GetObject: the object's bytes exactly as stored (a gzip object stays gzip).
   *
   * @throws S3Error `NoSuchKey` when there is no such key (with s3:ListBucket; without it S3 says AccessDenied).
   */
  async getObject(bucket: string, key: string, versionId?: string): Promise<Buffer> {
    // fetch decompresses what a Content-Encoding names; S3 answers with the stored encoding unless told otherwise.
    const query: Record<string, string> = { 'response-content-encoding': 'identity' };
    if (versionId !== undefined) query.versionId = versionId;
    return (await this.send({ operation: 'GetObject', method: 'GET', bucket, key, query })).body;
  }

  /** HeadObject. @throws S3Error `NotFound` (HEAD answers have no body to name the error) when there is no such key. */
  async headObject(bucket: string, key: string): Promise<void> {
    await this.send({ operation: 'HeadObject', method: 'HEAD', bucket, key });
  }

  /**
   * Every version under `prefix` (ListObjectVersions, page by page), in S3's order: by key, and each
   * key's versions newest first. Delete markers are left out.
   *
   * @param pageSize - `max-keys` of each page. @default S3's 1000
   */
  async listVersions(bucket: string, prefix: string, pageSize?: number): Promise<ObjectVersion[]> {
    const versions: ObjectVersion[] = [];
    let marker: { keyMarker: string; versionIdMarker: string } | undefined;
    do {
      const query: Record<string, string> = { versions: '', prefix };
      if (pageSize !== undefined) query['max-keys'] = String(pageSize);
      if (marker) Object.assign(query, { 'key-marker': marker.keyMarker, 'version-id-marker': marker.versionIdMarker });
      const answer = await this.send({ operation: 'ListObjectVersions', method: 'GET', bucket, query });
      const page = this.read('ListObjectVersions', answer, readVersionsPage);
      versions.push(...page.versions);
      if (page.next && marker && page.next.keyMarker === marker.keyMarker && page.next.versionIdMarker === marker.versionIdMarker) {
        throw new S3Error('MalformedResponse', answer.status, 'S3 ListObjectVersions answered the same page marker twice');
      }
      marker = page.next;
    } while (marker);
    return versions;
  }

  /**
   * Every key under `prefix` (ListObjectsV2, page by page), in S3's (UTF-8 binary) order.
   *
   * @param pageSize - `max-keys` of each page. @default S3's 1000
   */
  async listKeys(bucket: string, prefix: string, pageSize?: number): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { 'list-type': '2', prefix };
      if (pageSize !== undefined) query['max-keys'] = String(pageSize);
      if (token !== undefined) query['continuation-token'] = token;
      const answer = await this.send({ operation: 'ListObjectsV2', method: 'GET', bucket, query });
      const page = this.read('ListObjectsV2', answer, readKeysPage);
      keys.push(...page.keys);
      if (page.next !== undefined && page.next === token) {
        throw new S3Error('MalformedResponse', answer.status, 'S3 ListObjectsV2 answered the same continuation token twice');
      }
      token = page.next;
    } while (token !== undefined);
    return keys;
  }

  private read<T>(operation: string, answer: S3Answer, parse: (xml: string) => T): T {
    try {
      return parse(answer.body.toString('utf8'));
    } catch (error) {
      if (!(error instanceof MalformedS3XmlError)) throw error;
      throw new S3Error('MalformedResponse', answer.status, `S3 ${operation} answered a body that is not its XML document: ${error.message}`, requestIdOf(answer.headers));
    }
  }

  /** Sends the request, retrying what S3 asks to retry; any answer other than 2xx becomes an S3Error. */
  private async send(request: S3Request): Promise<S3Answer> {
    let skewCorrected = false;
    for (let attempt = 1; ; attempt++) {
      let answer: S3Answer;
      try {
        answer = await this.attempt(request);
      } catch (error) {
        // fetch throws a TypeError when no answer came (the connection failed or was cut); other errors (credentials) are not retried.
        if (error instanceof TypeError && attempt < this.maxAttempts) {
          await backoff(attempt);
          continue;
        }
        throw error;
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      const error = errorOf(request, answer);
      // A HEAD refusal has no body to say why: a far-off Date on it is reason enough to sign again.
      const maybeSkew = SKEW_CODES.has(error.code) || (request.method === 'HEAD' && answer.status === 403);
      if (!skewCorrected && maybeSkew && this.learnClockOffset(answer.headers)) {
        skewCorrected = true;
        attempt--;
        continue;
      }
      if ((RETRIED_STATUSES.has(answer.status) || RETRIED_CODES.has(error.code)) && attempt < this.maxAttempts) {
        await backoff(attempt);
        continue;
      }
      throw error;
    }
  }

  /** Takes the server's clock from its `Date` header when ours is far off; whether it changed anything. */
  private learnClockOffset(headers: Headers): boolean {
    const serverTime = Date.parse(headers.get('date') ?? '');
    if (Number.isNaN(serverTime)) return false;
    const offset = serverTime - Date.now();
    if (Math.abs(offset - this.clockOffsetMs) < SKEW_TOLERANCE_MS) return false;
    this.clockOffsetMs = offset;
    return true;
  }

  private async attempt(request: S3Request): Promise<S3Answer> {
    const url = this.urlOf(request.bucket, request.key, request.query ?? {});
    const body = request.body ?? new Uint8Array(0);
    const signed = await this.signer.sign(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        // Already encoded (see urlOf), as it goes on the wire.
        path: url.pathname,
        query: request.query ?? {},
        headers: {
          ...request.headers,
          host: url.host,
          'x-amz-content-sha256': request.body ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256,
        },
      },
      { signingDate: new Date(Date.now() + this.clockOffsetMs) },
    );
    // fetch sends Host itself (and may not be told to): it was signed with the value fetch will send.
    const { host: _sentByFetch, ...headers } = signed.headers as Record<string, string>;
    const response = await this.fetch(url, {
      method: request.method,
      headers,
      ...(request.body ? { body: body } : {}),
      // A redirect would carry the signed request to a host it was not signed for.
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  /**
   * Path-style under the endpoint (the local server); in AWS virtual-hosted
   * (`<bucket>.s3.<region>.amazonaws.com`), or path-style for a bucket name with dots (TLS
   * certificates do not cover those hosts).
   */
  private urlOf(bucket: string, key: string | undefined, query: Record<string, string>): URL {
    const path = key === undefined ? '' : key.split('/').map(uriEncode).join('/');
    const search = Object.entries(query)
      .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
      .join('&');
    const tail = `${path}${search ? `?${search}` : ''}`;
    const { endpoint, region } = this.options;
    if (endpoint) return new URL(`${endpoint.replace(/\/+$/, '')}/${uriEncode(bucket)}/${tail}`);
    if (bucket.includes('.')) return new URL(`https://s3.${region}.amazonaws.com/${uriEncode(bucket)}/${tail}`);
    return new URL(`https://${bucket}.s3.${region}.amazonaws.com/${tail}`);
  }
}

/** AWS's UriEncode: every byte but the unreserved characters percent-encoded (encodeURIComponent leaves !'()* alone). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function requestIdOf(headers: Headers): string | undefined {
  return headers.get('x-amz-request-id') ?? undefined;
}

function errorOf(request: S3Request, answer: S3Answer): S3Error {
  const document = request.method === 'HEAD' ? undefined : readS3Error(answer.body.toString('utf8'));
  const code = document?.code ?? codeOfStatus(answer.status);
  const target = request.key === undefined ? request.bucket : `${request.bucket}/${request.key}`;
  const detail = document?.message ?? (document ? '' : 'no S3 error document in the answer');
  return new S3Error(code, answer.status, `S3 ${request.operation} ${target}: HTTP ${answer.status} ${code}${detail ? `: ${detail}` : ''}`, requestIdOf(answer.headers));
}

/** Full jitter over 100 ms × 2^attempt, as the SDK's standard retry strategy waits. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));
}
