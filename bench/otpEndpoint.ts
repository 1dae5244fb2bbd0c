import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { REPO_ROOT } from '../infra/projectPaths';
import { startLocalStack } from '../local/stack';
import { getDeps, overrideDeps } from '../shared/api/deps';
import type { AuditEvent } from '../shared/audit/event';
import { DynamoAuditOutbox, type AuditOutbox } from '../shared/audit/AuditOutbox';
import { ulid } from '../shared/ids';
import { EVENTS_TABLE, VAULT_TABLE } from '../shared/store/tables';
import { tapStdout, type LogSource } from './logTap';
import { probePhases, type PhaseFigure, type PhaseProbe } from './otpPhases';
import { cpuPerRequest, cpuSnapshot, type CpuSnapshot } from './stackCpu';
import { figuresOf, load, loadSamples, table, type LoadFigures, type LoadSamples } from './stats';

/** CPU milliseconds per request of the whole stack (this process's threads and its child processes), pipeline included. */
export interface CpuFigure {
  processMs: number;
  childrenMs: number;
  totalMs: number;
}

export interface OtpBenchFigures {
  endpoint: LoadFigures[];
  /** Per run (endpoint, without audit, floor, per concurrency): CPU per request, until the stream consumers caught up. */
  cpu: { endpoint: (CpuFigure | undefined)[]; withoutAudit: (CpuFigure | undefined)[]; floor: (CpuFigure | undefined)[]; chain: (CpuFigure | undefined)[] };
  /** The same endpoint with the audit outbox replaced by a no-op (measurement only). */
  withoutAudit: LoadFigures[];
  floor: LoadFigures[];
  /**
   * The floor with the seed's KMS Decrypt after the durable write, as the design orders them (an OTP's
   * Decrypt only after its event is written): what a code needs at least here, without HTTP, the
   * authorizer and the middleware.
   */
  chain: LoadFigures[];
  /** Where the 1-client endpoint run's time went (DynamoDB commands, KMS, event-loop delay). */
  phases: PhaseFigure[];
  phasesWithoutAudit: PhaseFigure[];
  /** Where the stream poller and its consumer ran. */
  streamPoller: 'inline' | 'worker';
  /** A caller no policy allows (403, audited): what bench/cost.ts prices as a denied request. */
  denied: LoadFigures;
  /** Size of one generateOtp event in the outbox, as DynamoDB bills it (attribute names and values, about). */
  outboxItemBytes: number;
  /** What the functions wrote to stdout (CloudWatch Logs) per request, by source, at the deployed log level. */
  logBytes: { otp: LogBytesPerRequest; denied: LogBytesPerRequest };
}

/** Bytes per request of each source; `pipeline` is the audit consumer's and alert publisher's share per event. */
export type LogBytesPerRequest = Record<LogSource, number>;

/** Turns the endpoint, its no-audit twin and the two floors take, each with a slice of the requests. */
const ROUNDS = 4;

/** One of the four things timed in turns, and what its slices measured. */
interface Mode {
  op: () => Promise<boolean>;
  probe?: PhaseProbe;
  /** Replaces the handlers' outbox for this mode's slices. */
  outbox?: AuditOutbox;
  /** Counts this mode's log bytes (the code route at 1 client). */
  logged?: boolean;
  runs?: LoadSamples[];
  cpu?: { before: CpuSnapshot; after: CpuSnapshot }[];
  logBytes?: Partial<Record<LogSource, number>>;
}

/** CPU per request over all of a mode's slices. */
function cpuOf(mode: Mode): CpuFigure | undefined {
  const slices = mode.cpu ?? [];
  const requests = (mode.runs ?? []).reduce((sum, run) => sum + run.latencies.length, 0);
  const per = slices.map(({ before, after }) => cpuPerRequest(before, after, 1)).filter((x): x is CpuFigure => x !== undefined);
  if (per.length === 0 || requests === 0) return undefined;
  const each = (key: keyof CpuFigure) => Math.round((per.reduce((sum, x) => sum + x[key], 0) / requests) * 100) / 100;
  return { processMs: each('processMs'), childrenMs: each('childrenMs'), totalMs: each('totalMs') };
}

/** Log bytes per request, by source. */
function perRequestOf(bytes: Partial<Record<LogSource, number>>, requests: number): LogBytesPerRequest {
  const of = (source: LogSource) => Math.round((bytes[source] ?? 0) / requests);
  return { route: of('route'), metrics: of('metrics'), authorizer: of('authorizer'), pipeline: of('pipeline') };
}

/** `OTPVAULT_BENCH_POLLER=inline` runs the stream poller on the request thread, as before it had a worker. */
const POLLER: 'inline' | 'worker' = process.env.OTPVAULT_BENCH_POLLER === 'inline' ? 'inline' : 'worker';

/**
 * OTP endpoint latency against the local stack, beside the floor: a bare DynamoDB Local
 * GetItem + PutItem round trip (what the endpoint does at least: read the seed, write the audit
 * event into the outbox). The endpoint also reads the secret and the policy set version, runs the
 * authorizer, calls KMS Decrypt and goes through HTTP and the middleware.
 */
export async function runOtpBench(requests = 400, concurrencies = [1, 16]): Promise<OtpBenchFigures> {
  // Logs and metrics as deployed (info, EMF on), so the request path pays for them and their bytes are counted.
  process.env.OTPVAULT_LOG_LEVEL = 'info';
  process.env.OTPVAULT_METRICS = 'on';
  const logs = tapStdout();
  const dataDir = mkdtempSync(join(tmpdir(), 'otpvault-bench-'));
  const stack = await startLocalStack({ dataDir, port: 0, quiet: true, streamPoller: POLLER });
  try {
    const perRequest = async (count: number): Promise<LogBytesPerRequest> => {
      await stack.audit.flush();
      await stack.alerts.flush();
      return perRequestOf(logs.bytes(), count);
    };
    const logBytes = { otp: { route: 0, metrics: 0, authorizer: 0, pipeline: 0 }, denied: { route: 0, metrics: 0, authorizer: 0, pipeline: 0 } };
    const token = await stack.issuer.signToken({ user: 'bench', groups: ['admins'] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${stack.url}/v1/secrets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ path: '/bench/otp', template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' } } }),
    });
    const { id } = (await created.json()) as { id: string };
    const otp = async () => (await fetch(`${stack.url}/v1/secrets/${id}/otp`, { method: 'POST', headers })).status === 200;

    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' }));
    let n = 0;
    const outbox = new DynamoAuditOutbox(db, EVENTS_TABLE.localName);
    await load(otp, 30, 4); // warm the handlers and connections
    // The floor writes a copy of a real code's event (new id, time and request id): the same item, so
    // its stream work (the audit table and its index entries, the archive, the alert check) is the endpoint's.
    const shape = await codeEventShape(db);
    const floor = async () => {
      await db.send(new GetCommand({ TableName: VAULT_TABLE.localName, Key: { pk: 'BENCH', sk: 'BENCH' }, ConsistentRead: true }));
      await outbox.write({ ...shape, eventId: ulid(), time: new Date().toISOString(), requestId: `bench-${n++}` });
      return true;
    };
    await load(floor, 30, 4);
    // A seed-sized value under the seed key, bound to a secret and field as a real seed is.
    const kms = new KMSClient({ endpoint: stack.kmsEndpoint, region: 'us-east-1', credentials: stack.credentials });
    const context = { secretId: 'bench', field: 'otpSeed' };
    const sealed = await kms.send(new EncryptCommand({ KeyId: stack.seedKeyArn, Plaintext: Buffer.alloc(20, 7), EncryptionContext: context }));
    const chain = async () => {
      await floor();
      await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: context }));
      return true;
    };
    await load(chain, 30, 4);
    const endpoint: LoadFigures[] = [];
    const withoutAudit: LoadFigures[] = [];
    const floorFigures: LoadFigures[] = [];
    const chainFigures: LoadFigures[] = [];
    const noAudit: AuditOutbox = { write: async () => undefined, transactItem: (e) => outbox.transactItem(e) };
    let phases: PhaseFigure[] = [];
    let phasesWithoutAudit: PhaseFigure[] = [];
    const cpu: OtpBenchFigures['cpu'] = { endpoint: [], withoutAudit: [], floor: [], chain: [] };
    // Each run starts with the stream consumers caught up, and its CPU is counted until they have
    // handled its events: no run inherits another's backlog, and each pays for its own pipeline work
    // (the floor's outbox events are consumed too). The latency figures end with the last answer.
    const drained = async () => {
      await stack.audit.flush(120_000);
      await stack.alerts.flush(120_000);
    };
    /** One slice of one mode's requests, its CPU counted until the consumers have drained it. */
    async function runSlice(mode: Mode, count: number, c: number): Promise<void> {
      const restore = mode.outbox ? overrideDeps({ outbox: mode.outbox }) : undefined;
      mode.probe?.resume();
      if (mode.logged) logs.reset();
      const before = cpuSnapshot();
      const run = await loadSamples(mode.op, count, c);
      mode.probe?.pause();
      restore?.();
      await drained();
      const after = cpuSnapshot();
      (mode.runs ??= []).push(run);
      if (before && after) (mode.cpu ??= []).push({ before, after });
      if (mode.logged) {
        const bytes = logs.bytes();
        mode.logBytes ??= {};
        for (const [source, total] of Object.entries(bytes)) mode.logBytes[source as LogSource] = (mode.logBytes[source as LogSource] ?? 0) + total;
      }
    }
    await drained();
    for (const c of concurrencies) {
      const probe = probePhases(getDeps());
      const probeNoAudit = probePhases(getDeps());
      probe.pause();
      probeNoAudit.pause();
      const modes: Mode[] = [
        { op: otp, probe, logged: c === 1 },
        { op: otp, probe: probeNoAudit, outbox: noAudit },
        { op: floor },
        { op: chain },
      ];
      // The four take turns, a slice of the requests at a time: what else the machine does (another
      // process, the archive's minute seal, a drift in speed) falls on all of them alike, and the
      // ratios compare like with like.
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of modes) await runSlice(mode, Math.ceil(requests / ROUNDS), c);
      }
      const noAuditPhases = probeNoAudit.stop(requests);
      const endpointPhases = probe.stop(requests);
      if (c === 1) [phases, phasesWithoutAudit] = [endpointPhases, noAuditPhases];
      const [e, w, f, ch] = modes as [Mode, Mode, Mode, Mode];
      endpoint.push(figuresOf(e.runs ?? []));
      withoutAudit.push(figuresOf(w.runs ?? []));
      floorFigures.push(figuresOf(f.runs ?? []));
      chainFigures.push(figuresOf(ch.runs ?? []));
      cpu.endpoint.push(cpuOf(e));
      cpu.withoutAudit.push(cpuOf(w));
      cpu.floor.push(cpuOf(f));
      cpu.chain.push(cpuOf(ch));
      if (e.logged) logBytes.otp = perRequestOf(e.logBytes ?? {}, figuresOf(e.runs ?? []).requests);
    }

    const strangerHeaders = { authorization: `Bearer ${await stack.issuer.signToken({ user: 'stranger', groups: [] })}` };
    const deny = async () => (await fetch(`${stack.url}/v1/secrets/${id}/otp`, { method: 'POST', headers: strangerHeaders })).status === 403;
    await load(deny, 20, 1);
    await stack.audit.flush();
    await stack.alerts.flush();
    logs.reset();
    const denied = await load(deny, Math.min(requests, 200), 1);
    logBytes.denied = await perRequest(denied.requests);
    const scanned = await db.send(new ScanCommand({ TableName: EVENTS_TABLE.localName, FilterExpression: 'operation = :op', ExpressionAttributeValues: { ':op': 'generateOtp' } }));
    const sample = scanned.Items?.[0] ?? {};
    const outboxItemBytes = Object.entries(sample).reduce((sum, [k, v]) => sum + k.length + (typeof v === 'string' ? Buffer.byteLength(v) : JSON.stringify(v).length), 0);
    db.destroy();
    kms.destroy();
    const figures = { endpoint, cpu, withoutAudit, floor: floorFigures, chain: chainFigures, phases, phasesWithoutAudit, streamPoller: POLLER, denied, outboxItemBytes, logBytes };
    // For bench/cost.ts: what one OTP and one denial took here (an upper bound on the handler alone).
    mkdirSync(join(REPO_ROOT, '.otpvault', 'bench'), { recursive: true });
    writeFileSync(
      join(REPO_ROOT, '.otpvault', 'bench', 'otp.json'),
      JSON.stringify({ otpHandlerMs: endpoint[0]?.p50Ms, deniedHandlerMs: denied.p50Ms, outboxItemBytes, logBytes }, null, 2),
    );
    return figures;
  } finally {
    await stack.stop();
    logs.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One generateOtp event as the endpoint wrote it to the outbox (without the outbox's own expiry). */
async function codeEventShape(db: DynamoDBDocumentClient): Promise<AuditEvent> {
  const scanned = await db.send(new ScanCommand({ TableName: EVENTS_TABLE.localName, FilterExpression: 'operation = :op', ExpressionAttributeValues: { ':op': 'generateOtp' } }));
  const item = scanned.Items?.[0];
  if (!item) throw new Error('the warm-up wrote no generateOtp event to copy');
  const { expiresAt: _expiresAt, ...event } = item;
  return event as AuditEvent;
}

const describeLogBytes = (b: LogBytesPerRequest): string => `route ${b.route} + metrics ${b.metrics} + authorizer ${b.authorizer} (audit pipeline ${b.pipeline} per event)`;

export function printOtpBench(f: OtpBenchFigures): string {
  const rows = f.endpoint.flatMap((e, i) => {
    const row = (what: string, x: LoadFigures, cpu: CpuFigure | undefined) => ({
      what,
      clients: x.concurrency,
      requests: x.requests,
      'p50 ms': x.p50Ms,
      'p99 ms': x.p99Ms,
      'req/s': x.perSecond,
      errors: x.errors,
      'CPU ms/req': cpu ? `${cpu.totalMs} (${cpu.processMs} + ${cpu.childrenMs})` : 'n/a',
    });
    return [
      row('POST /v1/secrets/{id}/otp', e, f.cpu.endpoint[i]),
      row('  same, audit write disabled', f.withoutAudit[i] as LoadFigures, f.cpu.withoutAudit[i]),
      row('floor: GetItem + outbox PutItem', f.floor[i] as LoadFigures, f.cpu.floor[i]),
      row('  floor, then KMS Decrypt', f.chain[i] as LoadFigures, f.cpu.chain[i]),
    ];
  });
  const ratios = f.endpoint.map((e, i) => {
    const floor = f.floor[i] as LoadFigures;
    const chain = f.chain[i] as LoadFigures;
    return (
      `${e.concurrency} client(s): p50 ${(e.p50Ms / floor.p50Ms).toFixed(2)}x the floor's, ${(e.perSecond / floor.perSecond).toFixed(2)}x its req/s; ` +
      `p50 ${(e.p50Ms / chain.p50Ms).toFixed(2)}x the floor-then-Decrypt's, ${(e.perSecond / chain.perSecond).toFixed(2)}x its req/s`
    );
  });
  const phases = (title: string, p: PhaseFigure[]) =>
    `\n${title}\n${table(p.map((x) => ({ phase: x.phase, 'per request': x.perRequest, 'p50 ms': x.p50Ms, 'mean ms': x.meanMs })))}`;
  return [
    `stream poller: ${f.streamPoller === 'worker' ? 'worker thread (off the request path, as the consumer function in AWS)' : 'inline (request thread)'}`,
    table(rows),
    'CPU ms/req: the whole stack (this process, all threads + DynamoDB Local and s3rver), until the stream consumers caught up',
    ...ratios,
    `denied (403, audited), 1 client: p50 ${f.denied.p50Ms} ms; one generateOtp outbox item: ${f.outboxItemBytes} B`,
    `log bytes per request (info level, metrics on): code ${describeLogBytes(f.logBytes.otp)}; denied ${describeLogBytes(f.logBytes.denied)}`,
    phases('phases, 1 client (event loop row: p50 and p99 of its delay)', f.phases),
    phases('phases, 1 client, audit write disabled', f.phasesWithoutAudit),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(printOtpBench(await runOtpBench()));
}
