import type { AuditOutbox } from '../../../shared/audit/AuditOutbox';
import type { AuditEvent } from '../../../shared/audit/event';
import type { RefusalCounter } from '../../../shared/audit/refusals/RefusalWindows';
import { windowOf, type Refusal } from '../../../shared/audit/refusals/window';
import { auditRefusedCredentials } from '../../../shared/auth/refusalAudit';
import { createLogger } from '../../../shared/log/logger';

/**
 * Auditing refused credentials with refusal windows: the first of a source's minute at once, the
 * rest counted, and a window that cannot be counted never costs the refusal its event. The window
 * store here is an in-memory counter keyed like the real one (its DynamoDB side is tested through
 * the local runner, test/integration/refusalWindows.test.ts).
 */

class MemoryOutbox implements AuditOutbox {
  readonly events: AuditEvent[] = [];
  async write(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
  transactItem(): never {
    throw new Error('not used here');
  }
}

class MemoryCounter implements RefusalCounter {
  readonly counts = new Map<string, number>();
  failing = false;
  async count(refusal: Refusal, now: number): Promise<{ first: boolean }> {
    if (this.failing) throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
    const { key } = windowOf(refusal, now);
    const id = `${key.pk}/${key.sk}`;
    const count = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, count);
    return { first: count === 1 };
  }
}

let now = Date.parse('2030-07-14T09:41:05Z');
let outbox: MemoryOutbox;
let windows: MemoryCounter;
let logLines: string[];
const deps = () => ({ outbox, windows, clock: { now: () => now, sleep: async () => undefined }, log: createLogger({ write: (line) => logLines.push(line) }) });
const request = (sourceIp = '198.51.100.7') => ({ requestId: `r-${Math.random()}`, routeKey: 'GET /v1/me', sourceIp, userAgent: 'curl/8' });

beforeEach(() => {
  now = Date.parse('2030-07-14T09:41:05Z');
  outbox = new MemoryOutbox();
  windows = new MemoryCounter();
  logLines = [];
});

describe('auditing refused credentials in refusal windows', () => {
  it('audits the first refusal of a source in a minute at once, and only counts the next ones', async () => {
    // Act
    for (let i = 0; i < 30; i++) {
      now += 1000;
      await auditRefusedCredentials(deps(), request(), 'the bearer token was rejected: its signature is not valid');
    }

    // Assess
    expect(outbox.events).toHaveLength(1);
    expect(outbox.events[0]).toMatchObject({ action: 'authenticate', result: 'denied', status: 403, details: { routeKey: 'GET /v1/me' } });
    expect([...windows.counts.values()]).toEqual([30]);
  });

  it('opens a window per source and per minute', async () => {
    // Act
    await auditRefusedCredentials(deps(), request('198.51.100.7'), 'refused');
    await auditRefusedCredentials(deps(), request('203.0.113.9'), 'refused');
    now += 60_000;
    await auditRefusedCredentials(deps(), request('198.51.100.7'), 'refused');

    // Assess
    expect(outbox.events.map((e) => e.source.ip)).toEqual(['198.51.100.7', '203.0.113.9', '198.51.100.7']);
  });

  it('audits a refusal on its own, and logs an error, when its window cannot be counted', async () => {
    // Prepare
    await auditRefusedCredentials(deps(), request(), 'refused');
    windows.failing = true;

    // Act
    await auditRefusedCredentials(deps(), request(), 'refused again');

    // Assess
    expect(outbox.events.map((e) => e.reason)).toEqual(['refused', 'refused again']);
    expect(logLines.some((line) => line.includes('"level":"error"') && line.includes('refusal window could not be counted'))).toBe(true);
  });
});
