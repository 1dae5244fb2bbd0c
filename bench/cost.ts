/**
 * What a million OTPs, and a million denied requests, cost: from the stack's own settings (function
 * memory and architecture, the audit table's indexes, the authorizer cache), the durations and item
 * sizes the OTP bench measured (`.otpvault/bench/otp.json`, written by bench/otpEndpoint.ts), and list
 * prices. Run after the OTP bench (`npm run bench` does); alone it uses the stated fallbacks.
 *
 * Run: npx tsx bench/cost.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ACCESS_LOG_FIELDS } from '../infra/constructs/api';
import { OUTBOX_BATCHING } from '../shared/api/functions';
import { PEOPLE_AUTHORIZER_CACHE_TTL } from '../infra/constructs/peopleAuthorizer';
import { REPO_ROOT } from '../infra/projectPaths';
import { ALERT_PUBLISHER_FUNCTION, AUDIT_CONSUMER_FUNCTION, AUTHORIZER_FUNCTION } from '../shared/api/functions';
import { SEAL_INTERVAL_MS } from '../shared/audit/archive/ArchiveWriter';
import { ARCHIVE_SEAL_EVERY_SECONDS } from '../shared/audit/consumer/sealEvent';
import { generateOtp } from '../shared/api/routes/generateOtp';
import { AUDIT_TABLE } from '../shared/store/tables';
import type { LogBytesPerRequest } from './otpEndpoint';
import { table } from './stats';

/**
 * List prices, us-east-1, in USD, as published on the AWS pricing pages the last time they were read
 * for this file (2025; not fetched at run time: this machine has no internet). First pricing tier.
 */
export const PRICES = {
  region: 'us-east-1',
  asOf: '2025 list prices (check before quoting)',
  httpApiPerMillionRequests: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoOnDemandPerMillionWru: 0.625,
  dynamoOnDemandPerMillionRru: 0.125,
  /** GetRecords by a Lambda event source mapping on a DynamoDB stream is not charged. */
  streamReadsByLambda: 0,
  kmsSymmetricPer10k: 0.03,
  kmsAsymmetricSignPer10k: 0.15,
  s3PutPer1000: 0.005,
  s3GetPer1000: 0.0004,
  logsIngestPerGb: 0.5,
} as const;

/** What the stack does that the bench cannot see; each stated, each a guess to replace by a measurement in AWS. */
export const ASSUMPTIONS = {
  /** The request rate the detailed breakdown is priced at: a million codes a day. */
  requestsPerSecond: 1e6 / 86_400,
  /** One consumer invocation: audit-table writes, the archive object, and now and then a signed digest. */
  consumerMsPerBatch: 250,
  /** The consumer's scheduled run that seals what batches left: a ledger read, and the seal when objects wait. */
  sealRunMs: 100,
  /** The outbox stream's second consumer: one invocation per batch that looks for alert-worthy events. */
  alertPublisherMsPerBatch: 20,
  /** Per batch: the event object written, and read back when sealed; the ledger's announcement, a write. */
  s3PutsPerBatch: 1,
  s3GetsPerBatch: 1,
  ledgerWruPerBatch: 1,
  /** Per seal (at most one a minute: SEAL_INTERVAL_MS): one KMS Sign, the digest's PUT, the ledger's advance. */
  s3PutsPerSeal: 1,
  ledgerWruPerSeal: 1,
  /** Token verification with cached keys, Lambda-billed (1 ms granularity). */
  authorizerMs: 10,
  /** Lambda's own START, END and REPORT lines (text format) per invocation. */
  platformLogBytesPerInvocation: 300,
  /** Reads on the OTP path: policy-set version, secret, seed and the step's first handout in one BatchGetItem (strongly consistent, under 4 KB each; a batch bills per item). */
  otpReads: 4,
  /** Reads on a denied OTP request: the same batch (seed and last code are read with the decision, before it is known; `readsWithDecision`). */
  deniedReads: 4,
  /**
   * The step's claim (one conditional UpdateItem, 1 WRU), written only by the first code of a step of a
   * secret: counted for every code, as for scripts that ask once a step; a step's later callers skip it.
   */
  claimWruPerCode: 1,
} as const;

/** What the OTP bench measured (fallbacks: this machine's last figures, for a run without it). */
export interface Measured {
  otpHandlerMs: number;
  deniedHandlerMs: number;
  outboxItemBytes: number;
  /** What the functions wrote to stdout per request (bench/logTap.ts). */
  logBytes: { otp: LogBytesPerRequest; denied: LogBytesPerRequest };
  source: string;
}

const FALLBACK: Omit<Measured, 'source'> = {
  otpHandlerMs: 28,
  deniedHandlerMs: 10,
  outboxItemBytes: 540,
  logBytes: { otp: { route: 330, metrics: 330, authorizer: 0, pipeline: 120 }, denied: { route: 330, metrics: 330, authorizer: 0, pipeline: 120 } },
};

function measured(): Measured {
  const file = join(REPO_ROOT, '.otpvault', 'bench', 'otp.json');
  if (existsSync(file)) return { ...FALLBACK, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<Measured>), source: file };
  return { ...FALLBACK, source: 'fallbacks (run bench/otpEndpoint.ts first)' };
}

/**
 * Records per consumer invocation at a steady rate: the mapping starts a batch at the first record
 * and closes it when its window ends or it is full, so a batch holds that record and the window's arrivals.
 */
export function eventsPerBatch(requestsPerSecond: number): number {
  return Math.min(OUTBOX_BATCHING.maxRecords, 1 + requestsPerSecond * OUTBOX_BATCHING.windowSeconds);
}

/** One API Gateway access-log line with typical values in each field (the line's bytes are what is billed). */
export function accessLogLineBytes(): number {
  const typical: Record<string, string> = {
    requestId: 'Jx9YkiY3oAMEV4g=',
    requestTime: '1764583200000',
    routeKey: 'POST /v1/secrets/{secretId}/otp',
    status: '200',
    sourceIp: '203.0.113.10',
    viewerIp: '198.51.100.23',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
    principal: 'user:alice',
    userArn: '-',
    authorizerError: '-',
    latencyMs: '38',
    integrationLatencyMs: '31',
    integrationError: '-',
    responseLength: '412',
  };
  const line = Object.fromEntries(Object.keys(ACCESS_LOG_FIELDS).map((field) => [field, typical[field] ?? '-']));
  return Buffer.byteLength(JSON.stringify(line)) + 1;
}

const wru = (bytes: number): number => Math.ceil(bytes / 1024);
const gbSeconds = (memoryMb: number, ms: number): number => (memoryMb / 1024) * (Math.ceil(ms) / 1000);

export interface CostLine {
  item: string;
  perMillion: number;
}

/**
 * Cost lines per million requests of one kind.
 *
 * @param kind - `otp`: a code handed out; `denied`: a caller the policies refuse (audited, no KMS)
 */
export function costPerMillion(kind: 'otp' | 'denied', m: Measured = measured(), requestsPerSecond: number = ASSUMPTIONS.requestsPerSecond): CostLine[] {
  const p = PRICES;
  const a = ASSUMPTIONS;
  const batchEvents = eventsPerBatch(requestsPerSecond);
  const logs = m.logBytes[kind];
  const platform = a.platformLogBytesPerInvocation;
  const memoryMb = generateOtp.memoryMb;
  const handlerMs = kind === 'otp' ? m.otpHandlerMs : m.deniedHandlerMs;
  const authorizerCalls = PEOPLE_AUTHORIZER_CACHE_TTL.toSeconds() === 0 ? 1 : 0;
  const eventWru = wru(m.outboxItemBytes);
  // The audit table's item is the event plus its keys; every index projects ALL, so each writes it again.
  const auditWru = wru(m.outboxItemBytes + 120) * (1 + AUDIT_TABLE.indexes.length);
  const perBatch = 1 / batchEvents;
  // A batch seals only when the newest digest is an interval old (else the schedule does): signing
  // follows the batches at low traffic and the interval at high traffic.
  const perSeal = Math.min(perBatch, 1000 / (SEAL_INTERVAL_MS * requestsPerSecond));
  const perScheduledRun = 1 / (ARCHIVE_SEAL_EVERY_SECONDS * requestsPerSecond);
  const batchLabel = `${Number(batchEvents.toFixed(1))}-event batch at ${Number(requestsPerSecond.toFixed(2))} req/s`;
  // Per request: the function's lines and metrics, the authorizer's, Lambda's own lines for each
  // invocation, the access-log line; per event, the consumers' share (their lines and Lambda's per batch).
  const logBytes = logs.route + logs.metrics + logs.authorizer + (1 + authorizerCalls) * platform + accessLogLineBytes() + logs.pipeline + perBatch * platform;
  const million = 1e6;
  const lines: CostLine[] = [
    { item: 'API Gateway HTTP API request', perMillion: p.httpApiPerMillionRequests },
    { item: `Lambda requests (handler + ${authorizerCalls} authorizer; cache TTL ${PEOPLE_AUTHORIZER_CACHE_TTL.toSeconds()} s)`, perMillion: (1 + authorizerCalls) * p.lambdaPerMillionRequests },
    {
      item: `Lambda duration, arm64 (${memoryMb} MB x ${handlerMs} ms; authorizer ${AUTHORIZER_FUNCTION.memoryMb} MB x ${a.authorizerMs} ms)`,
      perMillion: million * p.lambdaArmPerGbSecond * (gbSeconds(memoryMb, handlerMs) + authorizerCalls * gbSeconds(AUTHORIZER_FUNCTION.memoryMb, a.authorizerMs)),
    },
    { item: `DynamoDB reads (${kind === 'otp' ? a.otpReads : a.deniedReads} strongly consistent item reads)`, perMillion: (kind === 'otp' ? a.otpReads : a.deniedReads) * p.dynamoOnDemandPerMillionRru },
    ...(kind === 'otp' ? [{ item: `DynamoDB step claim (${a.claimWruPerCode} WRU: the first code of each step)`, perMillion: a.claimWruPerCode * p.dynamoOnDemandPerMillionWru }] : []),
    { item: `DynamoDB outbox write (${m.outboxItemBytes} B: ${eventWru} WRU; TTL deletes are free)`, perMillion: eventWru * p.dynamoOnDemandPerMillionWru },
    { item: `DynamoDB audit table write + ${AUDIT_TABLE.indexes.length} indexes (${auditWru} WRU)`, perMillion: auditWru * p.dynamoOnDemandPerMillionWru },
    { item: 'DynamoDB Streams reads (by the Lambda event source mapping)', perMillion: p.streamReadsByLambda },
    {
      item: `audit consumer (per ${batchLabel}: 1 invocation of ${a.consumerMsPerBatch} ms, ledger ${a.ledgerWruPerBatch} WRU; ${a.ledgerWruPerSeal} WRU per seal)`,
      perMillion:
        perBatch * (p.lambdaPerMillionRequests + million * p.lambdaArmPerGbSecond * gbSeconds(AUDIT_CONSUMER_FUNCTION.memoryMb, a.consumerMsPerBatch) + a.ledgerWruPerBatch * p.dynamoOnDemandPerMillionWru) +
        perSeal * a.ledgerWruPerSeal * p.dynamoOnDemandPerMillionWru,
    },
    {
      item: `archive seal schedule (1 run of ${a.sealRunMs} ms every ${ARCHIVE_SEAL_EVERY_SECONDS} s, whatever the traffic)`,
      perMillion: perScheduledRun * (p.lambdaPerMillionRequests + million * p.lambdaArmPerGbSecond * gbSeconds(AUDIT_CONSUMER_FUNCTION.memoryMb, a.sealRunMs)),
    },
    {
      item: `alert publisher (per batch: 1 invocation of ${a.alertPublisherMsPerBatch} ms)`,
      perMillion: perBatch * (p.lambdaPerMillionRequests + million * p.lambdaArmPerGbSecond * gbSeconds(ALERT_PUBLISHER_FUNCTION.memoryMb, a.alertPublisherMsPerBatch)),
    },
    {
      item: `S3 archive (per batch: ${a.s3PutsPerBatch} PUT, ${a.s3GetsPerBatch} GET; per seal: ${a.s3PutsPerSeal} PUT)`,
      perMillion: million * ((perBatch * (a.s3PutsPerBatch * p.s3PutPer1000 + a.s3GetsPerBatch * p.s3GetPer1000) + perSeal * a.s3PutsPerSeal * p.s3PutPer1000) / 1000),
    },
    { item: `KMS Sign of the archive digest (per seal: at most one per ${SEAL_INTERVAL_MS / 1000} s, asymmetric key)`, perMillion: perSeal * million * (p.kmsAsymmetricSignPer10k / 1e4) },
    { item: 'KMS Decrypt of the seed', perMillion: kind === 'otp' ? million * (p.kmsSymmetricPer10k / 1e4) : 0 },
    { item: `CloudWatch Logs ingestion (${Math.round(logBytes)} B per request, measured lines + Lambda's and the access log's)`, perMillion: ((million * logBytes) / 1e9) * p.logsIngestPerGb },
  ];
  return lines;
}

/**
 * What a code costs at the least under the vault's own invariants, whatever else is tuned: the API
 * request, one function invocation, the KMS Decrypt of the seed (no plaintext seed is cached), and
 * the audit event written twice (the outbox that makes it durable before the code leaves, and the
 * audit table that answers queries), at one WRU each.
 */
export function designFloorPerMillion(): CostLine[] {
  const p = PRICES;
  return [
    { item: 'API Gateway HTTP API request', perMillion: p.httpApiPerMillionRequests },
    { item: 'one Lambda request', perMillion: p.lambdaPerMillionRequests },
    { item: 'KMS Decrypt of the seed', perMillion: 1e6 * (p.kmsSymmetricPer10k / 1e4) },
    { item: 'outbox write, 1 WRU', perMillion: p.dynamoOnDemandPerMillionWru },
    { item: 'audit table write, 1 WRU, no index', perMillion: p.dynamoOnDemandPerMillionWru },
  ];
}

const totalOf = (lines: CostLine[]): number => lines.reduce((sum, l) => sum + l.perMillion, 0);

/** Steady rates the summary prices: a million codes a month, ten million a month, a million a day, 100 a second. */
export const RATES: { label: string; requestsPerSecond: number }[] = [
  { label: '1 M a month', requestsPerSecond: 1e6 / (30 * 86_400) },
  { label: '10 M a month', requestsPerSecond: 1e7 / (30 * 86_400) },
  { label: '1 M a day', requestsPerSecond: 1e6 / 86_400 },
  { label: '100 a second', requestsPerSecond: 100 },
];

export function printCost(): void {
  const m = measured();
  console.log(`prices: ${PRICES.region}, ${PRICES.asOf}; measured inputs from ${m.source}`);
  for (const kind of ['otp', 'denied'] as const) {
    const lines = costPerMillion(kind, m);
    const total = totalOf(lines);
    const top = [...lines].sort((x, y) => y.perMillion - x.perMillion)[0] as CostLine;
    console.log(`\nper million ${kind === 'otp' ? 'OTPs handed out' : 'denied requests'} at a million a day: $${total.toFixed(2)} (aim for codes: <= $5); largest: ${top.item} (${Math.round((100 * top.perMillion) / total)}%)`);
    console.log(table(lines.filter((l) => l.perMillion > 0).map((l) => ({ item: l.item, 'USD per million': l.perMillion.toFixed(3) }))));
  }
  // The archive's work is per consumer batch, and a batch fills with the traffic: the rate matters.
  console.log('\nby steady rate (the per-batch archive work is shared by fewer events when traffic is low)');
  console.log(
    table(
      RATES.map((r) => ({
        rate: r.label,
        'req/s': r.requestsPerSecond.toFixed(2),
        'events per batch': eventsPerBatch(r.requestsPerSecond).toFixed(1),
        'USD per million codes': totalOf(costPerMillion('otp', m, r.requestsPerSecond)).toFixed(2),
        'USD per million denials': totalOf(costPerMillion('denied', m, r.requestsPerSecond)).toFixed(2),
      })),
    ),
  );
  const floor = designFloorPerMillion();
  const floorTotal = floor.reduce((sum, l) => sum + l.perMillion, 0);
  console.log(`\nfloor per million codes under the vault's invariants (KMS Decrypt per code, audit event durable before the code): $${floorTotal.toFixed(2)}`);
  console.log(`  ${floor.map((l) => `${l.item} $${l.perMillion.toFixed(3)}`).join(' + ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) printCost();
