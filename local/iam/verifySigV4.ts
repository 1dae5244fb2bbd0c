/**
 * Checks SigV4 signatures (`Authorization: AWS4-HMAC-SHA256 ...` header) the way API Gateway's IAM
 * authorization does, the signature recomputed from the request as it arrived by the same code as the
 * KMS emulator's and the S3 server's (`local/sigv4/verifySignature.ts`). Refuses an unknown key, a
 * signature that does not match, a missing session token, a request signed more than 5 minutes away
 * from the server's clock, and a signature seen before.
 */
import { computeSignature, sameSignature } from '../sigv4/verifySignature';
import type { LocalRoleCredentials } from './credentials';

/** A request as it arrived: lower-case header names. */
export interface ArrivedRequest {
  method: string;
  /** Path as sent (percent-encoded), e.g. `/v1/secrets/s-1/otp`. */
  rawPath: string;
  /** Query string as sent, without `?`. */
  rawQueryString: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Accepted with the signing role; or refused with a reason, naming the role only when the signature itself was valid. */
export type SignatureCheck = { ok: true; credentials: LocalRoleCredentials } | { ok: false; reason: string; credentials?: LocalRoleCredentials };

export interface SigV4VerifierOptions {
  /** Finds the credentials of an access key id. */
  lookup(accessKeyId: string): Promise<LocalRoleCredentials | undefined>;
  region: string;
  /** @default execute-api */
  service?: string;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Largest accepted distance between the signing time and now. @default 5 minutes (AWS's) */
  maxSkewMs?: number;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const FIVE_MINUTES = 5 * 60_000;

export class SigV4Verifier {
  /** Signatures accepted, until they could no longer pass the skew check. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: SigV4VerifierOptions) {}

  async verify(request: ArrivedRequest): Promise<SignatureCheck> {
    const authorization = request.headers.authorization;
    if (!authorization) return { ok: false, reason: 'missing Authorization header: sign the request with SigV4' };
    const parsed = AUTHORIZATION.exec(authorization.trim());
    if (!parsed) return { ok: false, reason: 'the Authorization header is not a SigV4 (AWS4-HMAC-SHA256) signature' };
    const [, accessKeyId, scopeDay, region, service, signedHeaderList, signature] = parsed as unknown as string[];
    const credentials = await this.options.lookup(accessKeyId);
    if (!credentials) return { ok: false, reason: `unknown access key id ${accessKeyId}` };
    const expectedService = this.options.service ?? 'execute-api';
    if (region !== this.options.region || service !== expectedService) {
      return { ok: false, reason: `the credential scope must be ${this.options.region}/${expectedService}, not ${region}/${service}` };
    }
    const amzDate = request.headers['x-amz-date'];
    const signedAt = amzDate ? parseAmzDate(amzDate) : undefined;
    if (signedAt === undefined) return { ok: false, reason: 'missing or malformed X-Amz-Date header (YYYYMMDDTHHMMSSZ)' };
    if (!amzDate!.startsWith(scopeDay)) return { ok: false, reason: 'the credential scope date is not the X-Amz-Date day' };
    if (request.headers['x-amz-security-token'] === undefined) return { ok: false, reason: 'missing session token (X-Amz-Security-Token)' };
    const signedHeaders = signedHeaderList.split(';');
    if (!signedHeaders.includes('host')) return { ok: false, reason: 'the Host header must be signed' };

    const query = request.rawQueryString === '' ? '' : `?${request.rawQueryString}`;
    const expected = await computeSignature({
      method: request.method,
      url: `${request.rawPath}${query}`,
      headers: request.headers,
      body: request.body,
      signedHeaders,
      signingDate: new Date(signedAt),
      region,
      service,
      // The role's session token: a request that sent another one fails the comparison below.
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
      uriEscapePath: true,
    });
    if (typeof expected !== 'string') return { ok: false, reason: `signed header ${expected.missingHeader} is missing from the request` };
    if (!sameSignature(expected, signature)) return { ok: false, reason: 'the signature does not match (wrong secret key, or the request was changed after signing)' };

    const now = this.options.now();
    const maxSkewMs = this.options.maxSkewMs ?? FIVE_MINUTES;
    if (Math.abs(now - signedAt) > maxSkewMs) {
      return { ok: false, credentials, reason: `the signature is expired or not yet valid: signed at ${new Date(signedAt).toISOString()}, more than ${maxSkewMs / 60_000} minutes from the server's time` };
    }
    this.forgetOld(now);
    if (this.seen.has(signature)) return { ok: false, credentials, reason: 'replayed request: this signature was already used' };
    this.seen.set(signature, signedAt + maxSkewMs);
    return { ok: true, credentials };
  }

  private forgetOld(now: number): void {
    for (const [signature, until] of this.seen) if (until < now) this.seen.delete(signature);
  }
}

function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const time = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(time) ? undefined : time;
}
