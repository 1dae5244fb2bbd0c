import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../log/logger';

/**
 * The header CloudFront adds to every request it forwards to the people API (an origin custom
 * header: a viewer cannot set or see it). Payload 2.0 lower-cases header names.
 */
export const ORIGIN_VERIFY_HEADER = 'x-otpvault-origin-verify';

/**
 * The viewer's IP address, set by a CloudFront Function on every `/v1/*` request (overwriting any
 * value the viewer sent). Behind CloudFront, API Gateway's `sourceIp` is CloudFront's address, so
 * the audit and policies' `sourceIp` conditions take this instead, and only once the origin header
 * proved the request came through CloudFront.
 */
export const VIEWER_IP_HEADER = 'x-otpvault-viewer-ip';

/** What the authorizer records about a request it turns away at the gate (no token is read). */
export interface GateRequest {
  requestId: string;
  routeKey: string;
  sourceIp: string;
}

/**
 * Decides whether a request came through the vault's CloudFront distribution, where the WAF web ACL
 * (per-IP rate limit, managed rules) applies. The API's execute-api URL stays reachable, so without
 * this anyone could go around the web ACL and have every bad token audited and archived under the
 * compliance lock. A request without the right header is refused before its token is looked at, and
 * is not audited: it only counts in a metric and logs a warning.
 */
export interface OriginGate {
  /** True when admitted requests came through CloudFront, so {@link VIEWER_IP_HEADER} can be trusted. */
  readonly behindCloudFront: boolean;
  /** True when the request may go on to the token check. @throws when the expected value cannot be read (API Gateway answers 500). */
  admits(headerValue: string | undefined, request: GateRequest): Promise<boolean>;
}

/** No CloudFront in front (the local runner): every request goes on to the token check. */
export const OPEN_ORIGIN_GATE: OriginGate = { behindCloudFront: false, admits: async () => true };

/**
 * The gate in AWS: compares the header with the secret CloudFront sends, in constant time.
 *
 * The secret is read once per cold start and kept while the function is warm (one Secrets Manager call
 * per instance, not per request); a failed read is not kept, so the next request tries again.
 *
 * @param readSecret - Reads the expected header value (Secrets Manager in AWS).
 * @param log - Where a refused request is logged (a warning: a direct hit on the execute-api URL).
 * @param refused - Counts a refused request (a metric).
 * @example
 * const gate = secretOriginGate(() => readSecretString(client, arn), log, vaultMetrics.originRefused);
 */
export function secretOriginGate(readSecret: () => Promise<string>, log: Logger, refused: () => void = () => undefined): OriginGate {
  let expected: Promise<Buffer> | undefined;
  const expectedDigest = (): Promise<Buffer> => {
    expected ??= readSecret()
      .then((secret) => {
        if (secret.length === 0) throw new Error('the origin verification secret is empty');
        return digest(secret);
      })
      .catch((error: unknown) => {
        // Not kept, an empty value included: the next request reads again.
        expected = undefined;
        throw error;
      });
    return expected;
  };
  return {
    behindCloudFront: true,
    async admits(headerValue, request) {
      const wanted = await expectedDigest();
      // Digests have one length whatever was sent, so neither the comparison nor its length check tells anything about the secret.
      if (headerValue !== undefined && timingSafeEqual(digest(headerValue), wanted)) return true;
      refused();
      log.warn('request refused: it did not come through the CloudFront distribution (origin header missing or wrong)', {
        requestId: request.requestId,
        routeKey: request.routeKey,
        sourceIp: request.sourceIp,
        header: headerValue === undefined ? 'missing' : 'wrong',
      });
      return false;
    },
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
