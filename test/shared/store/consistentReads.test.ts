import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClient } from '../../../local/dynamo';
import { ensureTables } from '../../../local/dynamoTables';
import { ConsistentReads } from '../../../shared/store/ConsistentReads';
import { VAULT_TABLE } from '../../../shared/store/tables';
import { fixtureDynamoDb, type FixtureDynamoDb } from '../../helpers/sharedDynamoDb';

// Against DynamoDB Local: the batching must hold with DynamoDB's own answers, not a stand-in's.
const dataDir = mkdtempSync(join(tmpdir(), 'otpvault-reads-'));
let dynamo: FixtureDynamoDb;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;
/** Commands sent, in order (the client's middleware sees every call). */
const calls: string[] = [];
/** Fault injection: when set, the next BatchGetItem answer reports these keys unprocessed instead of returning them. */
let leaveUnprocessed: string[] = [];

let table: string;
const key = (sk: string) => ({ pk: 'READS#test', sk });

beforeAll(async () => {
  dynamo = await fixtureDynamoDb(dataDir);
  table = dynamo.tableName(VAULT_TABLE.localName);
  await ensureTables(dynamo.endpoint, { tables: [{ ...VAULT_TABLE, localName: table }] });
  client = localDynamoDbClient(dynamo.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      const result = await next(args);
      if (context.commandName === 'BatchGetItemCommand' && leaveUnprocessed.length > 0) {
        // Whichever form the output has at this step (attribute values, or plain once the document client unmarshalled them).
        const output = result.output as { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, unknown> };
        const items = output.Responses?.[table] ?? [];
        const skOf = (item: Record<string, unknown>) => (typeof item.sk === 'string' ? item.sk : (item.sk as { S?: string } | undefined)?.S);
        const held = items.filter((item) => leaveUnprocessed.includes(skOf(item) ?? ''));
        leaveUnprocessed = [];
        output.Responses = { [table]: items.filter((item) => !held.includes(item)) };
        output.UnprocessedKeys = { [table]: { Keys: held.map((item) => ({ pk: item.pk, sk: item.sk })), ConsistentRead: true } };
      }
      return result;
    },
    { step: 'initialize', name: 'recordAndInjectFaults' },
  );
  db = DynamoDBDocumentClient.from(client);
  for (const sk of ['A', 'B', 'C']) await db.send(new PutCommand({ TableName: table, Item: { ...key(sk), value: `value ${sk}` } }));
});
afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  calls.length = 0;
});

describe('ConsistentReads', () => {
  it('sends reads asked for in the same turn as one BatchGetItem, and answers each its own item', async () => {
    // Prepare
    const reads = new ConsistentReads(db, table);
    // Act
    const [a, b, missing] = await Promise.all([reads.get(key('A')), reads.get(key('B')), reads.get(key('none'))]);
    // Assess
    expect(calls).toEqual(['BatchGetItemCommand']);
    expect(a?.value).toBe('value A');
    expect(b?.value).toBe('value B');
    expect(missing).toBeUndefined();
  });

  it('joins a read asked for a few awaits deeper in the same turn', async () => {
    // Prepare
    const reads = new ConsistentReads(db, table);
    const deeper = async () => {
      await Promise.resolve();
      await Promise.resolve();
      return reads.get(key('C'));
    };
    // Act
    const [a, c] = await Promise.all([reads.get(key('A')), deeper()]);
    // Assess
    expect(calls).toEqual(['BatchGetItemCommand']);
    expect([a?.value, c?.value]).toEqual(['value A', 'value C']);
  });

  it('sends a read asked for alone as a plain GetItem', async () => {
    // Prepare
    const reads = new ConsistentReads(db, table);
    // Act
    const a = await reads.get(key('A'));
    const b = await reads.get(key('B'));
    // Assess
    expect(calls).toEqual(['GetItemCommand', 'GetItemCommand']);
    expect([a?.value, b?.value]).toEqual(['value A', 'value B']);
  });

  it('asks once for a key read twice in one turn (BatchGetItem refuses duplicate keys)', async () => {
    // Prepare
    const reads = new ConsistentReads(db, table);
    // Act
    const [first, second, other] = await Promise.all([reads.get(key('A')), reads.get(key('A')), reads.get(key('B'))]);
    // Assess
    expect(calls).toEqual(['BatchGetItemCommand']);
    expect([first?.value, second?.value, other?.value]).toEqual(['value A', 'value A', 'value B']);
  });

  it('asks again for keys DynamoDB left unprocessed', async () => {
    // Prepare
    const reads = new ConsistentReads(db, table);
    leaveUnprocessed = ['B'];
    // Act
    const [a, b] = await Promise.all([reads.get(key('A')), reads.get(key('B'))]);
    // Assess
    expect(calls).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    expect([a?.value, b?.value]).toEqual(['value A', 'value B']);
  });

  it('fails every read of a batch that fails, without touching another reader', async () => {
    // Prepare
    const reads = new ConsistentReads(db, 'otpvault-no-such-table');
    const working = new ConsistentReads(db, table);
    // Act
    const settled = await Promise.allSettled([reads.get(key('A')), reads.get(key('B'))]);
    const after = await Promise.all([working.get(key('A')), working.get(key('B'))]);
    // Assess
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(after.map((item) => item?.value)).toEqual(['value A', 'value B']);
  });
});
