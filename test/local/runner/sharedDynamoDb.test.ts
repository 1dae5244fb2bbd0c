/**
 * The test run's shared DynamoDB Local: jest's global setup starts it, and a test vault on it keeps
 * to tables of its own (prefixed names, in the environment the handlers read), which the stream
 * consumers follow and which go when the vault stops, while DynamoDB Local keeps running.
 */
import { ListTablesCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamo';
import { AUDIT_TABLE, TABLES, VAULT_TABLE } from '../../../shared/store/tables';
import { ITEM } from '../../../shared/store/keys';
import { SHARED_DYNAMODB_ENV, sharedDynamoDbEndpoint } from '../../helpers/sharedDynamoDb';
import { startTestVault, uniquePath, type TestVault } from '../../helpers/vault';
import { removeTempDataDirs, tempDataDir } from './helpers';

/** What jest's global setup handed this worker (read before this file stands in for it). */
const fromGlobalSetup = sharedDynamoDbEndpoint();
let vault: TestVault;
/** Run without the global setup (another jest config), the file starts the shared instance itself. */
let standIn: DynamoDbLocal | undefined;

beforeAll(async () => {
  if (!fromGlobalSetup) {
    standIn = await startDynamoDbLocal({ dataDir: tempDataDir('shared-stand-in'), inMemory: true, exitWithOwner: true });
    process.env[SHARED_DYNAMODB_ENV] = standIn.endpoint;
  }
  vault = await startTestVault();
});
afterAll(async () => {
  await vault?.stop();
  if (standIn) {
    delete process.env[SHARED_DYNAMODB_ENV];
    await standIn.stop();
  }
  removeTempDataDirs();
});

async function tableNames(): Promise<string[]> {
  const client = localDynamoDbClient(sharedDynamoDbEndpoint() as string);
  try {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(out.TableNames ?? []));
      start = out.LastEvaluatedTableName;
    } while (start);
    return names;
  } finally {
    client.destroy();
  }
}

describe('the run-wide DynamoDB Local', () => {
  it('is started by the global setup (jest.config.js)', () => {
    // Assess
    expect(fromGlobalSetup).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('is the one a test vault uses', () => {
    // Assess
    expect(vault.stack.dynamoDbEndpoint).toBe(sharedDynamoDbEndpoint());
    expect(vault.stack.startupMs.dynamoDb).toBe(0);
  });

  it('gives the vault its own table names, and the handlers those names', async () => {
    // Assess
    const names = await tableNames();
    for (const table of TABLES) {
      const name = vault.stack.tableName(table);
      expect(name).not.toBe(table.localName);
      expect(name.endsWith(table.localName)).toBe(true);
      expect(vault.stack.env[table.envVar]).toBe(name);
      expect(names).toContain(name);
      // Nobody on the shared instance uses the unprefixed names `npm start` uses.
      expect(names).not.toContain(table.localName);
    }
  });

  it('keeps a secret in its vault table and its audit in its audit table, through the outbox stream', async () => {
    // Prepare
    const token = await vault.token('alice', ['admins']);
    const created = await vault.call('POST', '/v1/secrets', { token, body: { path: uniquePath('/shared'), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    // Act
    await vault.stack.audit.flush();

    // Assess
    const client = localDynamoDbClient(vault.stack.dynamoDbEndpoint);
    try {
      const meta = await client.send(
        new QueryCommand({
          TableName: vault.stack.tableName(VAULT_TABLE),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: ITEM.secret(id).pk } },
        }),
      );
      expect(meta.Count).toBeGreaterThan(0);
      const audit = await client.send(
        new QueryCommand({
          TableName: vault.stack.tableName(AUDIT_TABLE),
          IndexName: 'bySecret',
          KeyConditionExpression: 'secretKey = :id',
          ExpressionAttributeValues: { ':id': { S: id } },
        }),
      );
      expect(audit.Items?.map((item) => item.operation?.S)).toContain('createSecret');
    } finally {
      client.destroy();
    }
  });

  it('deletes the vault’s tables when it stops, and keeps running for the other files', async () => {
    // Prepare
    const names = TABLES.map((table) => vault.stack.tableName(table));

    // Act
    await vault.stop();

    // Assess
    const left = await tableNames();
    for (const name of names) expect(left).not.toContain(name);
  });
});
