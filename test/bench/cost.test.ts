import { accessLogLineBytes, costPerMillion, designFloorPerMillion, eventsPerBatch, PRICES, type Measured } from '../../bench/cost';
import { sourceOf } from '../../bench/logTap';
import { OUTBOX_BATCHING } from '../../shared/api/functions';
import { SEAL_INTERVAL_MS } from '../../shared/audit/archive/ArchiveWriter';
import { AUDIT_TABLE } from '../../shared/store/tables';

const measured: Measured = {
  otpHandlerMs: 30,
  deniedHandlerMs: 12,
  outboxItemBytes: 540,
  logBytes: {
    otp: { route: 300, metrics: 350, authorizer: 0, pipeline: 100 },
    denied: { route: 320, metrics: 300, authorizer: 0, pipeline: 100 },
  },
  source: 'test',
};

const total = (kind: 'otp' | 'denied', m: Measured, rate?: number) => costPerMillion(kind, m, rate).reduce((sum, l) => sum + l.perMillion, 0);
const line = (kind: 'otp' | 'denied', m: Measured, starts: string, rate?: number) => {
  const found = costPerMillion(kind, m, rate).find((l) => l.item.startsWith(starts));
  if (!found) throw new Error(`no cost line starting with "${starts}"`);
  return found;
};

describe('what a million codes cost', () => {
  it('fills a consumer batch with the first record and the arrivals of its window, up to the mapping’s limit', () => {
    expect(eventsPerBatch(0)).toBe(1);
    expect(eventsPerBatch(10)).toBeCloseTo(1 + 10 * OUTBOX_BATCHING.windowSeconds);
    expect(eventsPerBatch(1e6)).toBe(OUTBOX_BATCHING.maxRecords);
  });

  it('spreads the per-batch archive work over a batch and signs at most once per seal interval, so a code costs less as traffic grows', () => {
    const perEvent = (rate: number) => line('otp', measured, 'KMS Sign', rate).perMillion / (1e6 * (PRICES.kmsAsymmetricSignPer10k / 1e4));
    // Quiet: each batch is a minute or more after the last digest and seals at once.
    expect(perEvent(0.001)).toBeCloseTo(1 / eventsPerBatch(0.001));
    // Busy: one signature per interval, whatever the batches.
    expect(perEvent(100)).toBeCloseTo(1000 / (SEAL_INTERVAL_MS * 100));
    expect(total('otp', measured, 0.4)).toBeGreaterThan(total('otp', measured, 12));
    expect(total('otp', measured, 12)).toBeGreaterThan(total('otp', measured, 100));
  });

  it('prices the log lines the bench measured, beside Lambda’s own lines and the access log', () => {
    const chattier: Measured = { ...measured, logBytes: { ...measured.logBytes, otp: { ...measured.logBytes.otp, route: 1300 } } };
    const logs = (m: Measured) => line('otp', m, 'CloudWatch Logs', 100).perMillion;
    expect(logs(chattier) - logs(measured)).toBeCloseTo(((1e6 * 1000) / 1e9) * PRICES.logsIngestPerGb);
    expect(accessLogLineBytes()).toBeGreaterThan(200);
  });

  it('writes the audit item once per index of the audit table', () => {
    const audit = line('otp', measured, 'DynamoDB audit table', 12);
    expect(audit.perMillion).toBeCloseTo((1 + AUDIT_TABLE.indexes.length) * PRICES.dynamoOnDemandPerMillionWru);
  });

  it('charges KMS Decrypt for a code and not for a denial', () => {
    expect(line('otp', measured, 'KMS Decrypt').perMillion).toBeCloseTo(3);
    expect(line('denied', measured, 'KMS Decrypt').perMillion).toBe(0);
  });

  it('states the floor under the invariants: API request, one Lambda request, KMS Decrypt, two 1-WRU writes', () => {
    expect(designFloorPerMillion().reduce((sum, l) => sum + l.perMillion, 0)).toBeCloseTo(5.45);
  });
});

describe('log tap', () => {
  it('tells a function’s lines, its metrics, the authorizer’s and the pipeline’s apart, and leaves the rest alone', () => {
    expect(sourceOf(JSON.stringify({ level: 'info', service: 'otpvault', message: 'request' }))).toBe('route');
    expect(sourceOf(JSON.stringify({ _aws: { Timestamp: 1 }, OtpCodesHandedOut: 1 }))).toBe('metrics');
    expect(sourceOf(JSON.stringify({ service: 'otpvault-authorizer', message: 'bearer token rejected' }))).toBe('authorizer');
    expect(sourceOf(JSON.stringify({ service: 'otpvault-audit', message: 'audit batch' }))).toBe('pipeline');
    expect(sourceOf('what                             clients  requests')).toBeUndefined();
    expect(sourceOf('{not json')).toBeUndefined();
    expect(sourceOf(JSON.stringify({ service: 'someone-else' }))).toBeUndefined();
  });
});
