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
import { PEOPLE_AUTHORIZER_CACHE_TTL } from '../infra/constructs/peopleAuthorizer';
import { REPO_ROOT } from '../infra/projectPaths';
import { AUDIT_CONSUMER_FUNCTION, AUTHORIZER_FUNCTION } from '../shared/api/functions';
import { generateOtp } from '../shared/api/routes/generateOtp';
import { AUDIT_TABLE } from '../shared/store/tables';
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
  /** The consumer's 1 s batching window: events per invocation at a steady 10 requests per second. */
  eventsPerConsumerBatch: 10,
  /** One consumer invocation: audit-table writes, the archive object and its signed digest. */
  consumerMsPerBatch: 250,
  /** Per batch: event object and digest written, the event object read back to check it. */
  s3PutsPerBatch: 2,
  s3GetsPerBatch: 1,
  /** The digest's signature: one KMS Sign per batch; the ledger advance: a conditional write. */
  ledgerWruPerBatch: 2,
  /** Token verification with cached keys, Lambda-billed (1 ms granularity). */
  authorizerMs: 10,
  /** Log bytes per invocation (START/END/REPORT lines and the request's own line) and per API access-log line. */
  logBytesPerInvocation: 700,
  apiAccessLogBytes: 350,
  /** Reads on the OTP path: policy-set version, secret and seed in one BatchGetItem (strongly consistent, under 4 KB each; a batch bills per item). */
  otpReads: 3,
  /** Reads on a denied OTP request: the same batch (the seed is read with the decision, before it is known; `readsWithDecision`). */
  deniedReads: 3,
} as const;

/** What the OTP bench measured (fallbacks: this machine's last figures, for a run without it). */
interface Measured {
  otpHandlerMs: number;
  deniedHandlerMs: number;
  outboxItemBytes: number;
  source: string;
}

function measured(): Measured {
  const file = join(REPO_ROOT, '.otpvault', 'bench', 'otp.json');
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<Measured, 'source'>), source: file };
  return { otpHandlerMs: 25, deniedHandlerMs: 15, outboxItemBytes: 900, source: 'fallbacks (run bench/otpEndpoint.ts first)' };
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
export function costPerMillion(kind: 'otp' | 'denied', m: Measured = measured()): CostLine[] {
  const p = PRICES;
  const a = ASSUMPTIONS;
  const memoryMb = generateOtp.memoryMb;
  const handlerMs = kind === 'otp' ? m.otpHandlerMs : m.deniedHandlerMs;
  const authorizerCalls = PEOPLE_AUTHORIZER_CACHE_TTL.toSeconds() === 0 ? 1 : 0;
  const eventWru = wru(m.outboxItemBytes);
  // The audit table's item is the event plus its keys; every index projects ALL, so each writes it again.
  const auditWru = wru(m.outboxItemBytes + 120) * (1 + AUDIT_TABLE.indexes.length);
  const perBatch = 1 / a.eventsPerConsumerBatch;
  const million = 1e6;
  const lines: CostLine[] = [
    { item: 'API Gateway HTTP API request', perMillion: p.httpApiPerMillionRequests },
    { item: `Lambda requests (handler + ${authorizerCalls} authorizer; cache TTL ${PEOPLE_AUTHORIZER_CACHE_TTL.toSeconds()} s)`, perMillion: (1 + authorizerCalls) * p.lambdaPerMillionRequests },
    {
      item: `Lambda duration, arm64 (${memoryMb} MB x ${handlerMs} ms; authorizer ${AUTHORIZER_FUNCTION.memoryMb} MB x ${a.authorizerMs} ms)`,
      perMillion: million * p.lambdaArmPerGbSecond * (gbSeconds(memoryMb, handlerMs) + authorizerCalls * gbSeconds(AUTHORIZER_FUNCTION.memoryMb, a.authorizerMs)),
    },
    { item: `DynamoDB reads (${kind === 'otp' ? a.otpReads : a.deniedReads} strongly consistent item reads)`, perMillion: (kind === 'otp' ? a.otpReads : a.deniedReads) * p.dynamoOnDemandPerMillionRru },
    { item: `DynamoDB outbox write (${m.outboxItemBytes} B: ${eventWru} WRU; TTL deletes are free)`, perMillion: eventWru * p.dynamoOnDemandPerMillionWru },
    { item: `DynamoDB audit table write + ${AUDIT_TABLE.indexes.length} indexes (${auditWru} WRU)`, perMillion: auditWru * p.dynamoOnDemandPerMillionWru },
    { item: 'DynamoDB Streams reads (by the Lambda event source mapping)', perMillion: p.streamReadsByLambda },
    {
      item: `audit consumer (per ${a.eventsPerConsumerBatch}-event batch: 1 invocation of ${a.consumerMsPerBatch} ms, ledger ${a.ledgerWruPerBatch} WRU)`,
      perMillion: perBatch * (p.lambdaPerMillionRequests + million * p.lambdaArmPerGbSecond * gbSeconds(AUDIT_CONSUMER_FUNCTION.memoryMb, a.consumerMsPerBatch) + a.ledgerWruPerBatch * p.dynamoOnDemandPerMillionWru),
    },
    { item: `S3 archive (per batch: ${a.s3PutsPerBatch} PUT, ${a.s3GetsPerBatch} GET)`, perMillion: perBatch * million * ((a.s3PutsPerBatch * p.s3PutPer1000 + a.s3GetsPerBatch * p.s3GetPer1000) / 1000) },
    { item: 'KMS Sign of the archive digest (per batch, asymmetric key)', perMillion: perBatch * million * (p.kmsAsymmetricSignPer10k / 1e4) },
    { item: 'KMS Decrypt of the seed', perMillion: kind === 'otp' ? million * (p.kmsSymmetricPer10k / 1e4) : 0 },
    {
      item: `CloudWatch Logs ingestion (${(1 + authorizerCalls) * a.logBytesPerInvocation + a.apiAccessLogBytes} B per request)`,
      perMillion: (million * ((1 + authorizerCalls) * a.logBytesPerInvocation + a.apiAccessLogBytes + perBatch * a.logBytesPerInvocation) / 1e9) * p.logsIngestPerGb,
    },
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

export function printCost(): void {
  const m = measured();
  console.log(`prices: ${PRICES.region}, ${PRICES.asOf}; measured inputs from ${m.source}`);
  for (const kind of ['otp', 'denied'] as const) {
    const lines = costPerMillion(kind, m);
    const total = lines.reduce((sum, l) => sum + l.perMillion, 0);
    const top = [...lines].sort((x, y) => y.perMillion - x.perMillion)[0] as CostLine;
    console.log(`\nper million ${kind === 'otp' ? 'OTPs handed out' : 'denied requests'}: $${total.toFixed(2)} (aim for codes: <= $5); largest: ${top.item} (${Math.round((100 * top.perMillion) / total)}%)`);
    console.log(table(lines.filter((l) => l.perMillion > 0).map((l) => ({ item: l.item, 'USD per million': l.perMillion.toFixed(3) }))));
  }
  const floor = designFloorPerMillion();
  const floorTotal = floor.reduce((sum, l) => sum + l.perMillion, 0);
  console.log(`\nfloor per million codes under the vault's invariants (KMS Decrypt per code, audit event durable before the code): $${floorTotal.toFixed(2)}`);
  console.log(`  ${floor.map((l) => `${l.item} $${l.perMillion.toFixed(3)}`).join(' + ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) printCost();
