import { request } from 'node:http';
import { jest } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditOutbox } from '../../shared/audit/AuditOutbox';
import type { AuditEvent } from '../../shared/audit/event';
import { RefusalWindows } from '../../shared/audit/refusals/RefusalWindows';
import { sweepRefusalWindows, type SweepReport } from '../../shared/audit/refusals/sweep';
import { REFUSAL_WINDOW } from '../../shared/audit/refusals/window';
import { routes } from '../../shared/api/routes';
import { createLogger } from '../../shared/log/logger';
import { REFUSALS_PK_PREFIX } from '../../shared/store/keys';
import { EVENTS_TABLE, VAULT_TABLE } from '../../shared/store/tables';
import { scanOutbox } from '../helpers/outbox';
import { startTestVault, type TestVault } from '../helpers/vault';

/**
 * Refusal windows through the local runner: refused bearer tokens go through the real authorizer
 * (its windows in DynamoDB Local, its events in the outbox), and the sweeper is called directly with
 * an injected clock. The handlers' clock is `Date`, faked here (and only `Date`: timers stay real)
 * so each burst lands in a minute the test chooses. Each test sends from its own loopback address,
 * so its windows are its own.
 */

const MINUTE = 60_000;
let vault: TestVault;
let db: DynamoDBDocumentClient;
/** A minute boundary well away from the real clock, so no other request of the file shares its windows. */
let base: number;

beforeAll(async () => {
  vault = await startTestVault();
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: vault.stack.dynamoDbEndpoint, region: 'us-east-1' }));
  base = Math.ceil(Date.now() / MINUTE) * MINUTE + 60 * MINUTE;
  jest.useFakeTimers({
    now: base,
    advanceTimers: true,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
});
afterAll(async () => {
  jest.useRealTimers();
  db?.destroy();
  await vault?.stop();
});
afterEach(() => jest.restoreAllMocks());

/** Sends a request with a token the authorizer refuses, from `sourceIp` (a loopback address), at `at` on the handlers' clock. */
function refuse(sourceIp: string, at: number, path = '/v1/me'): Promise<number> {
  jest.setSystemTime(at);
  return new Promise((resolve, reject) => {
    const sent = request(`${vault.url}${path}`, { method: 'GET', localAddress: sourceIp, agent: false, headers: { authorization: 'Bearer abc.def.ghi' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end();
  });
}

async function refuseMany(sourceIp: string, count: number, from: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await refuse(sourceIp, from + i * 100));
  return statuses;
}

/** One sweep, as the scheduled function runs it, on a clock standing at `at`. */
function sweepAt(at: number): Promise<SweepReport> {
  return sweepRefusalWindows({
    windows: new RefusalWindows(db, vault.stack.tableName(VAULT_TABLE)),
    outbox: new DynamoAuditOutbox(db, vault.stack.tableName(EVENTS_TABLE)),
    clock: { now: () => at, sleep: async () => undefined },
    log: createLogger({ level: 'error', write: () => undefined }),
  });
}

/** The `authenticate` events in the outbox from `sourceIp`: those written at once, and the summaries. */
async function eventsFrom(sourceIp: string): Promise<{ immediate: AuditEvent[]; summaries: AuditEvent[] }> {
  const events = await scanOutbox(db, vault.stack.tableName(EVENTS_TABLE), {
    FilterExpression: '#o = :o AND #s.ip = :ip',
    ExpressionAttributeNames: { '#o': 'operation', '#s': 'source' },
    ExpressionAttributeValues: { ':o': 'authenticate', ':ip': sourceIp },
  });
  return {
    immediate: events.filter((e) => e.details.repeatedRefusals === undefined),
    summaries: events.filter((e) => e.details.repeatedRefusals !== undefined),
  };
}

describe('refused credentials, one source and minute at a time', () => {
  it('audits the first of 30 refusals in a minute at once, and the other 29 in one summary once the minute is over', async () => {
    // Prepare
    const minute = base + 2 * MINUTE;
    const ip = '127.0.0.11';

    // Act
    const statuses = await refuseMany(ip, 30, minute + 5_000);
    const during = await eventsFrom(ip);
    const report = await sweepAt(minute + MINUTE + 10_000);
    const after = await eventsFrom(ip);
    await sweepAt(minute + MINUTE + 20_000);
    const afterAnotherSweep = await eventsFrom(ip);

    // Assess
    expect(new Set(statuses)).toEqual(new Set([403]));
    expect(during.immediate).toHaveLength(1);
    expect(during.immediate[0]).toMatchObject({ result: 'denied', status: 403, actor: { principal: 'anonymous' }, details: { routeKey: 'GET /v1/me' } });
    expect(during.summaries).toEqual([]);
    expect(report.found).toBeGreaterThanOrEqual(1);
    expect(after.immediate).toHaveLength(1);
    expect(after.summaries).toHaveLength(1);
    expect(after.summaries[0]).toMatchObject({
      action: 'authenticate',
      operation: 'authenticate',
      result: 'denied',
      status: 403,
      actor: { principal: 'anonymous', kind: 'anonymous' },
      source: { ip },
      details: {
        repeatedRefusals: 29,
        minute: new Date(minute).toISOString().slice(0, 16),
        routeKeys: 'GET /v1/me',
        reasons: 'the bearer token was rejected: it is not a well-formed JWT',
      },
    });
    // The handlers' clock moves on with real time from each time set: bounds, not exact times.
    const [firstAt, lastAt] = [after.summaries[0]?.details.firstAt, after.summaries[0]?.details.lastAt].map((at) => Date.parse(String(at)));
    expect(firstAt).toBeGreaterThanOrEqual(minute + 5_000);
    expect(firstAt).toBeLessThan(minute + 30_000);
    expect(lastAt).toBeGreaterThanOrEqual(minute + 5_000 + 29 * 100);
    expect(lastAt).toBeLessThan(minute + MINUTE);
    expect(afterAnotherSweep.summaries).toHaveLength(1);
  });

  it('keeps a window per source address', async () => {
    // Prepare
    const minute = base + 5 * MINUTE;

    // Act
    await refuseMany('127.0.0.12', 3, minute + 1_000);
    await refuseMany('127.0.0.13', 4, minute + 2_000);
    await sweepAt(minute + MINUTE + 10_000);
    const [first, second] = [await eventsFrom('127.0.0.12'), await eventsFrom('127.0.0.13')];

    // Assess
    expect(first.immediate).toHaveLength(1);
    expect(second.immediate).toHaveLength(1);
    expect(first.summaries.map((e) => e.details.repeatedRefusals)).toEqual([2]);
    expect(second.summaries.map((e) => e.details.repeatedRefusals)).toEqual([3]);
  });

  it('starts a new window, with a new event at once, in the next minute; a window of one refusal needs no summary', async () => {
    // Prepare
    const minute = base + 8 * MINUTE;
    const ip = '127.0.0.14';

    // Act
    await refuseMany(ip, 2, minute + 50_000);
    await refuse(ip, minute + MINUTE + 1_000);
    await sweepAt(minute + 2 * MINUTE + 10_000);
    const { immediate, summaries } = await eventsFrom(ip);

    // Assess
    expect(immediate.map((e) => e.time.slice(0, 16)).sort()).toEqual(
      [minute, minute + MINUTE].map((at) => new Date(at).toISOString().slice(0, 16)),
    );
    expect(summaries.map((e) => [e.details.minute, e.details.repeatedRefusals])).toEqual([[new Date(minute).toISOString().slice(0, 16), 1]]);
  });

  it('writes one summary when sweeps overlap', async () => {
    // Prepare
    const minute = base + 12 * MINUTE;
    const ip = '127.0.0.15';
    await refuseMany(ip, 5, minute + 1_000);

    // Act
    const reports = await Promise.all([1, 2, 3, 4].map(() => sweepAt(minute + MINUTE + 10_000)));
    const { summaries } = await eventsFrom(ip);

    // Assess
    expect(summaries.map((e) => e.details.repeatedRefusals)).toEqual([4]);
    expect(reports.reduce((sum, r) => sum + r.summarized, 0)).toBeLessThanOrEqual(1);
  });

  it('audits a refusal on its own when its window cannot be written, and still refuses it', async () => {
    // Prepare
    const minute = base + 15 * MINUTE;
    const ip = '127.0.0.16';
    await refuse(ip, minute + 1_000);
    const send = DynamoDBDocumentClient.prototype.send;
    let faults = 0;
    jest.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: DynamoDBDocumentClient, command: unknown) {
      const input = command instanceof UpdateCommand ? command.input : undefined;
      if (input?.TableName === vault.stack.tableName(VAULT_TABLE) && String(input.Key?.pk).startsWith(REFUSALS_PK_PREFIX)) {
        faults++;
        return Promise.reject(Object.assign(new Error('Throughput exceeds the current capacity of your table or index.'), { name: 'ThrottlingException' }));
      }
      return (send as (this: DynamoDBDocumentClient, c: unknown) => Promise<unknown>).call(this, command);
    } as typeof send);

    // Act
    const status = await refuse(ip, minute + 2_000);

    // Assess
    expect(faults).toBeGreaterThanOrEqual(1);
    expect(status).toBe(403);
    const { immediate } = await eventsFrom(ip);
    expect(immediate).toHaveLength(2);
  });

  it('leaves a window it could not summarize to the next sweep', async () => {
    // Prepare
    const minute = base + 18 * MINUTE;
    const ip = '127.0.0.17';
    await refuseMany(ip, 3, minute + 1_000);
    const send = DynamoDBDocumentClient.prototype.send;
    const spy = jest.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: DynamoDBDocumentClient, command: unknown) {
      if (command instanceof TransactWriteCommand) {
        return Promise.reject(Object.assign(new Error('Internal server error'), { name: 'InternalServerError' }));
      }
      return (send as (this: DynamoDBDocumentClient, c: unknown) => Promise<unknown>).call(this, command);
    } as typeof send);

    // Act
    const failing = await sweepAt(minute + MINUTE + 10_000);
    spy.mockRestore();
    const during = await eventsFrom(ip);
    const next = await sweepAt(minute + 2 * MINUTE + 10_000);
    const after = await eventsFrom(ip);

    // Assess
    expect(failing.failed).toBeGreaterThanOrEqual(1);
    expect(during.summaries).toEqual([]);
    expect(next.summarized).toBeGreaterThanOrEqual(1);
    expect(after.summaries.map((e) => e.details.repeatedRefusals)).toEqual([2]);
  });

  it('keeps a bounded set of routes, and says when more were refused', async () => {
    // Prepare
    const minute = base + 22 * MINUTE;
    const ip = '127.0.0.18';
    const paths = routes.filter((r) => r.auth === 'required' && r.method === 'GET' && !r.path.includes('{')).map((r) => r.path);
    expect(paths.length).toBeGreaterThan(REFUSAL_WINDOW.maxRouteKeys);

    // Act
    for (const [i, path] of paths.entries()) await refuse(ip, minute + 1_000 + i * 100, path);
    await sweepAt(minute + MINUTE + 10_000);
    const { immediate, summaries } = await eventsFrom(ip);

    // Assess
    expect(immediate).toHaveLength(1);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.details).toMatchObject({ repeatedRefusals: paths.length - 1, truncated: true });
    expect(String(summaries[0]?.details.routeKeys).split(', ')).toHaveLength(REFUSAL_WINDOW.maxRouteKeys);
  });
});
