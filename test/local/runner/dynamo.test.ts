import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamo';
import { ensureTables } from '../../../local/dynamoTables';
import { TableMismatchError } from '../../../local/errors';
import { EVENTS_TABLE, TABLES, VAULT_TABLE, type TableDefinition } from '../../../shared/store/tables';
import { removeTempDataDirs, tempDataDir } from './helpers';

describe('DynamoDB Local with the tables of shared/store/tables.ts', () => {
  const dataDir = tempDataDir('dynamo');
  let dynamo: DynamoDbLocal | undefined;
  let client: DynamoDBClient;

  const start = async () => {
    dynamo = await startDynamoDbLocal({ dataDir });
    client = localDynamoDbClient(dynamo.endpoint);
    return dynamo;
  };
  const stop = async () => {
    client?.destroy();
    await dynamo?.stop();
    dynamo = undefined;
  };

  beforeAll(start);
  afterAll(async () => {
    await stop();
    removeTempDataDirs();
  });

  it('keeps its database in <dataDir>/dynamodb', () => {
    // Assess
    expect(dynamo?.dbPath).toBe(join(dataDir, 'dynamodb'));
    expect(dynamo?.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates every table on first start', async () => {
    // Act
    const setups = await ensureTables((dynamo as DynamoDbLocal).endpoint);

    // Assess
    expect(setups).toEqual(TABLES.map((table) => ({ tableName: table.localName, created: true, updated: [] })));
  });

  it('creates the vault table with its keys, on-demand billing and its index projecting all attributes', async () => {
    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: VAULT_TABLE.localName }));

    // Assess
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'byKind',
        KeySchema: [
          { AttributeName: 'kind', KeyType: 'HASH' },
          { AttributeName: 'sortKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }),
    ]);
    expect(Table?.StreamSpecification).toBeUndefined();
  });

  it('creates the audit outbox with a NEW_IMAGE stream and TTL on expiresAt', async () => {
    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: EVENTS_TABLE.localName }));
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: EVENTS_TABLE.localName }));

    // Assess
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'eventId', KeyType: 'HASH' }]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(Table?.LatestStreamArn).toBeDefined();
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('changes nothing when the tables already match', async () => {
    // Act
    const setups = await ensureTables((dynamo as DynamoDbLocal).endpoint);

    // Assess
    expect(setups.every((setup) => !setup.created && setup.updated.length === 0)).toBe(true);
  });

  it('keeps data and tables across a stop and a start on the same data directory', async () => {
    // Prepare
    await client.send(new PutItemCommand({ TableName: VAULT_TABLE.localName, Item: { pk: { S: 'persist#1' }, sk: { S: 'meta' }, note: { S: 'kept' } } }));
    await stop();

    // Act
    await start();
    const setups = await ensureTables((dynamo as DynamoDbLocal).endpoint);
    const { Item } = await client.send(new GetItemCommand({ TableName: VAULT_TABLE.localName, Key: { pk: { S: 'persist#1' }, sk: { S: 'meta' } } }));

    // Assess
    expect(setups.map((setup) => setup.created)).toEqual(TABLES.map(() => false));
    expect(Item?.note).toEqual({ S: 'kept' });
  });

  it('sees the same data whatever credentials and region a client uses (sharedDb)', async () => {
    // Prepare
    const { DynamoDBClient: Client } = await import('@aws-sdk/client-dynamodb');
    const other = new Client({ endpoint: dynamo?.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'someone', secretAccessKey: 'else' } });

    // Act
    const { Item } = await other.send(new GetItemCommand({ TableName: VAULT_TABLE.localName, Key: { pk: { S: 'persist#1' }, sk: { S: 'meta' } } }));
    other.destroy();

    // Assess
    expect(Item?.note).toEqual({ S: 'kept' });
  });

  it('rebuilds changed indexes and turns stream and TTL to match a changed definition', async () => {
    // Prepare
    const before: TableDefinition = {
      id: 'Evolving',
      envVar: 'UNUSED',
      localName: 'otpvault-test-evolving',
      description: 'a table whose definition changes',
      partitionKey: { name: 'pk', type: 'S' },
      indexes: [{ name: 'old', partitionKey: { name: 'a', type: 'S' } }],
    };
    const after: TableDefinition = {
      ...before,
      indexes: [{ name: 'byB', partitionKey: { name: 'b', type: 'S' }, sortKey: { name: 'n', type: 'N' } }],
      stream: 'NEW_AND_OLD_IMAGES',
      ttlAttribute: 'ttl',
    };
    await ensureTables((dynamo as DynamoDbLocal).endpoint, { tables: [before] });

    // Act
    const [setup] = await ensureTables((dynamo as DynamoDbLocal).endpoint, { tables: [after] });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: after.localName }));
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: after.localName }));

    // Assess
    expect(setup).toEqual({
      tableName: after.localName,
      created: false,
      updated: ['deleted index old', 'created index byB', 'enabled stream NEW_AND_OLD_IMAGES', 'enabled TTL on ttl'],
    });
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byB']);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' });
  });

  it('refuses to touch a table whose key changed, saying how to start over', async () => {
    // Prepare
    const original: TableDefinition = {
      id: 'Rekeyed',
      envVar: 'UNUSED',
      localName: 'otpvault-test-rekeyed',
      description: 'a table whose key changes',
      partitionKey: { name: 'pk', type: 'S' },
      indexes: [],
    };
    await ensureTables((dynamo as DynamoDbLocal).endpoint, { tables: [original] });

    // Act
    const changed = ensureTables((dynamo as DynamoDbLocal).endpoint, {
      tables: [{ ...original, sortKey: { name: 'sk', type: 'S' } }],
      dataDir,
    });

    // Assess
    await expect(changed).rejects.toThrow(TableMismatchError);
    await expect(changed).rejects.toThrow(`Delete ${dataDir}`);
  });

  it('removes its pid file when stopped', async () => {
    // Act
    await stop();

    // Assess
    expect(existsSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'dynamodb', 'shared-local-instance.db'))).toBe(true);
  });
});
