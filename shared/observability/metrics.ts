import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/** CloudWatch namespace and the one `service` dimension every function's metrics carry (the dashboard reads these). */
export const METRICS_NAMESPACE = 'otpvault';
export const METRICS_SERVICE = 'otpvault';

/** Metric names, as the dashboard (infra/constructs/dashboard.ts) graphs them. */
export const METRIC = {
  otpCodes: 'OtpCodesHandedOut',
  recoveryCodes: 'RecoveryCodesHandedOut',
  denials: 'Denials',
  auditWriteMs: 'AuditWriteLatency',
  auditWriteFailures: 'AuditWriteFailures',
  pictureDecodeMs: 'PictureDecodeTime',
  picturesWithCode: 'PicturesWithCode',
  picturesWithoutCode: 'PicturesWithoutCode',
  picturesRefused: 'PicturesRefused',
  /** Requests to the people API that did not come through CloudFront (not audited: see shared/auth/originGate.ts). */
  originBypassRefused: 'OriginBypassRefused',
  /** Refused credentials counted in a refusal window instead of audited one by one. */
  refusalsAggregated: 'RefusalsAggregated',
} as const;

/**
 * Metrics go out as CloudWatch embedded metric format (EMF) lines on stdout, which Lambda's log
 * delivery turns into metrics: no API call on the request path. Only in Lambda (or with
 * `OTPVAULT_METRICS=on`): the local runner and the tests would otherwise print a JSON line per request.
 */
const enabled = (): boolean => process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined || process.env.OTPVAULT_METRICS === 'on';

let metrics: Metrics | undefined;
const store = (): Metrics | undefined => {
  if (!enabled()) return undefined;
  metrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  return metrics;
};

const count = (name: string): void => void store()?.addMetric(name, MetricUnit.Count, 1);
const ms = (name: string, value: number): void => void store()?.addMetric(name, MetricUnit.Milliseconds, Math.round(value * 10) / 10);

/** The hooks call sites use: one line each. */
export const vaultMetrics = {
  codeHandedOut: (kind: 'otp' | 'recovery'): void => count(kind === 'otp' ? METRIC.otpCodes : METRIC.recoveryCodes),
  denied: (): void => count(METRIC.denials),
  originBypassRefused: (): void => count(METRIC.originBypassRefused),
  /** A refusal counted in its window (no event of its own): still a denial. */
  refusalAggregated: (): void => {
    count(METRIC.refusalsAggregated);
    count(METRIC.denials);
  },
  auditWrite: (elapsedMs: number, ok: boolean): void => {
    ms(METRIC.auditWriteMs, elapsedMs);
    if (!ok) count(METRIC.auditWriteFailures);
  },
  pictureDecoded: (elapsedMs: number, result: 'code' | 'none' | 'refused'): void => {
    ms(METRIC.pictureDecodeMs, elapsedMs);
    count(result === 'code' ? METRIC.picturesWithCode : result === 'none' ? METRIC.picturesWithoutCode : METRIC.picturesRefused);
  },
  /** Writes the invocation's metrics (one EMF line), if any were recorded. */
  publish: (): void => {
    if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
};

/** Middy middleware publishing the invocation's metrics after the handler, whatever its outcome. */
export function publishMetrics<E, R>(): middy.MiddlewareObj<E, R> {
  return { after: async () => vaultMetrics.publish(), onError: async () => vaultMetrics.publish() };
}
