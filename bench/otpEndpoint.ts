import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '../local/stack';
import { overrideDeps } from '../shared/api/deps';
import type { AuditEvent } from '../shared/audit/event';
import { DynamoAuditOutbox, type AuditOutbox } from '../shared/audit/AuditOutbox';
import { ulid } from '../shared/ids';
import { EVENTS_TABLE, VAULT_TABLE } from '../shared/store/tables';
import { load, table, type LoadFigures } from './stats';

export interface OtpBenchFigures {
  endpoint: LoadFigures[];
  /** The same endpoint with the audit outbox replaced by a no-op (measurement only). */
  withoutAudit: LoadFigures[];
  floor: LoadFigures[];
}

/**
 * OTP endpoint latency against the local stack, beside the floor: a bare DynamoDB Local
 * GetItem + PutItem round trip (what the endpoint does at least: read the seed, write the audit
 * event into the outbox). The endpoint also reads the secret and the policy set version, runs the
 * authorizer, calls KMS Decrypt and goes through HTTP and the middleware.
 */
export async function runOtpBench(requests = 400, concurrencies = [1, 16]): Promise<OtpBenchFigures> {
  process.env.OTPVAULT_LOG_LEVEL = 'warn';
  const dataDir = mkdtempSync(join(tmpdir(), 'otpvault-bench-'));
  const stack = await startLocalStack({ dataDir, port: 0, quiet: true });
  try {
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
    const floor = async () => {
      await db.send(new GetCommand({ TableName: VAULT_TABLE.localName, Key: { pk: 'BENCH', sk: 'BENCH' }, ConsistentRead: true }));
      // A real-shaped event into the outbox, so the floor pays what the endpoint pays for its stream.
      await outbox.write(benchEvent(n++));
      return true;
    };
    await load(otp, 30, 4); // warm the handlers and connections
    await load(floor, 30, 4);
    const endpoint: LoadFigures[] = [];
    const withoutAudit: LoadFigures[] = [];
    const floorFigures: LoadFigures[] = [];
    const noAudit: AuditOutbox = { write: async () => undefined, transactItem: (e) => outbox.transactItem(e) };
    for (const c of concurrencies) {
      endpoint.push(await load(otp, requests, c));
      const restore = overrideDeps({ outbox: noAudit });
      withoutAudit.push(await load(otp, requests, c));
      restore();
      floorFigures.push(await load(floor, requests, c));
    }
    db.destroy();
    return { endpoint, withoutAudit, floor: floorFigures };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function benchEvent(n: number): AuditEvent {
  return {
    eventId: ulid(),
    time: new Date().toISOString(),
    actor: { principal: 'user:bench', kind: 'user', groups: [] },
    action: 'bench:floor',
    operation: 'benchFloor',
    target: {},
    result: 'allowed',
    reason: `floor write ${n}`,
    status: 200,
    source: { ip: '127.0.0.1', userAgent: 'bench' },
    requestId: `bench-${n}`,
    details: {},
  };
}

export function printOtpBench(f: OtpBenchFigures): string {
  const rows = f.endpoint.flatMap((e, i) => {
    const row = (what: string, x: LoadFigures) => ({ what, clients: x.concurrency, requests: x.requests, 'p50 ms': x.p50Ms, 'p99 ms': x.p99Ms, 'req/s': x.perSecond, errors: x.errors });
    return [
      row('POST /v1/secrets/{id}/otp', e),
      row('  same, audit write disabled', f.withoutAudit[i] as LoadFigures),
      row('floor: GetItem + outbox PutItem', f.floor[i] as LoadFigures),
    ];
  });
  return table(rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(printOtpBench(await runOtpBench()));
}
