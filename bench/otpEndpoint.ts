import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '../local/stack';
import { EVENTS_TABLE, VAULT_TABLE } from '../shared/store/tables';
import { load, table, type LoadFigures } from './stats';

export interface OtpBenchFigures {
  endpoint: LoadFigures[];
  floor: LoadFigures[];
}

/**
 * OTP endpoint latency against the local stack, beside the floor: a bare DynamoDB Local
 * GetItem + PutItem round trip (what the endpoint does at least: read the seed, write the audit event).
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
    const floor = async () => {
      await db.send(new GetCommand({ TableName: VAULT_TABLE.localName, Key: { pk: 'BENCH', sk: 'BENCH' }, ConsistentRead: true }));
      await db.send(new PutCommand({ TableName: EVENTS_TABLE.localName, Item: { eventId: `bench-${n++}`, expiresAt: 0 } }));
      return true;
    };
    await load(otp, 30, 4); // warm the handlers and connections
    await load(floor, 30, 4);
    const endpoint: LoadFigures[] = [];
    const floorFigures: LoadFigures[] = [];
    for (const c of concurrencies) {
      endpoint.push(await load(otp, requests, c));
      floorFigures.push(await load(floor, requests, c));
    }
    db.destroy();
    return { endpoint, floor: floorFigures };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printOtpBench(f: OtpBenchFigures): string {
  const rows = f.endpoint.flatMap((e, i) => {
    const fl = f.floor[i] as LoadFigures;
    return [
      { what: 'POST /v1/secrets/{id}/otp', clients: e.concurrency, requests: e.requests, 'p50 ms': e.p50Ms, 'p99 ms': e.p99Ms, 'req/s': e.perSecond, errors: e.errors },
      { what: 'floor: GetItem+PutItem', clients: fl.concurrency, requests: fl.requests, 'p50 ms': fl.p50Ms, 'p99 ms': fl.p99Ms, 'req/s': fl.perSecond, errors: fl.errors },
    ];
  });
  return table(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(printOtpBench(await runOtpBench()));
}
