/**
 * The tables of `shared/store/tables.ts` on DynamoDB Local, created or brought in line with their
 * definitions (keys, indexes, stream, TTL).
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type IndexDefinition, type KeyAttribute, type TableDefinition } from '../shared/store/tables';
import { localDynamoDbClient } from './dynamo';
import { TableMismatchError } from './errors';

/** What `ensureTables` did to one table. */
export interface TableSetup {
  tableName: string;
  /** True when the table did not exist and was created. */
  created: boolean;
  /** Changes made to an existing table to match its definition (index, stream, TTL). */
  updated: string[];
}

export interface EnsureTablesOptions {
  /** Definitions to apply; every table in `shared/store/tables.ts` by default. */
  tables?: readonly TableDefinition[];
  /** Named in the error when an existing table's keys no longer match. */
  dataDir?: string;
}

/**
 * Creates every table, or brings an existing one in line with its definition: on-demand billing,
 * global secondary indexes projecting ALL attributes, the stream view and the TTL attribute.
 * Indexes are derived data, so a changed index is dropped and rebuilt; a changed table key cannot
 * be, and fails with TableMismatchError. Running it again changes nothing.
 *
 * @param endpoint - Endpoint of DynamoDB Local.
 * @param options - Which tables, and the data directory for error messages.
 * @example
 * const setups = await ensureTables(dynamo.endpoint);
 */
export async function ensureTables(endpoint: string, options: EnsureTablesOptions = {}): Promise<TableSetup[]> {
  const client = localDynamoDbClient(endpoint);
  try {
    const setups: TableSetup[] = [];
    for (const table of options.tables ?? TABLES) {
      setups.push(await ensureTable(client, table, options.dataDir ?? '<dataDir>'));
    }
    return setups;
  } finally {
    client.destroy();
  }
}

/**
 * Deletes the given tables (a table already gone is fine): a stack on a shared DynamoDB Local
 * leaves nothing behind for the stacks after it.
 *
 * @param endpoint - Endpoint of DynamoDB Local.
 * @param tables - The definitions, with the names they were created under.
 */
export async function deleteTables(endpoint: string, tables: readonly TableDefinition[]): Promise<void> {
  const client = localDynamoDbClient(endpoint);
  try {
    for (const table of tables) {
      await client.send(new DeleteTableCommand({ TableName: table.localName })).catch((error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      });
    }
  } finally {
    client.destroy();
  }
}

async function ensureTable(client: DynamoDBClient, table: TableDefinition, dataDir: string): Promise<TableSetup> {
  const tableName = table.localName;
  let created = false;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(table, [table.partitionKey, table.sortKey, ...table.indexes.flatMap(indexKeys)]),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes:
          table.indexes.length > 0
            ? table.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: 'ALL' },
              }))
            : undefined,
        StreamSpecification: table.stream ? { StreamEnabled: true, StreamViewType: table.stream } : undefined,
      }),
    );
    created = true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const updated = created ? [] : await reconcileTable(client, table, dataDir);
  updated.push(...(await reconcileTimeToLive(client, table, created)));
  return { tableName, created, updated };
}

async function reconcileTable(client: DynamoDBClient, table: TableDefinition, dataDir: string): Promise<string[]> {
  const tableName = table.localName;
  const changes: string[] = [];
  let description = await describe(client, tableName);
  const wantedKeys = keySchema(table.partitionKey, table.sortKey);
  if (!sameKeys(description.KeySchema, wantedKeys)) {
    throw new TableMismatchError(tableName, `key is ${formatKeys(description.KeySchema)}, expected ${formatKeys(wantedKeys)}`, dataDir);
  }
  for (const [name, type] of definedTypes(description.AttributeDefinitions)) {
    const wanted = [table.partitionKey, table.sortKey].find((key) => key?.name === name);
    if (wanted && wanted.type !== type) {
      throw new TableMismatchError(tableName, `key attribute ${name} is of type ${type}, expected ${wanted.type}`, dataDir);
    }
  }

  const types = definedTypes(description.AttributeDefinitions);
  const existing = new Map((description.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName ?? '', index]));
  for (const [name, index] of existing) {
    const wanted = table.indexes.find((candidate) => candidate.name === name);
    if (wanted && indexMatches(index, wanted, types)) continue;
    // Dropped from the definition, or changed: an index is rebuilt from the table, nothing is lost.
    await client.send(new UpdateTableCommand({ TableName: tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] }));
    await indexesSettled(client, tableName);
    existing.delete(name);
    changes.push(`deleted index ${name}`);
  }
  for (const index of table.indexes) {
    if (existing.has(index.name)) continue;
    // DynamoDB creates one index per UpdateTable call.
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(table, [table.partitionKey, table.sortKey, ...indexKeys(index)]),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    await indexesSettled(client, tableName);
    changes.push(`created index ${index.name}`);
  }

  description = await describe(client, tableName);
  const stream = description.StreamSpecification;
  const streamOn = stream?.StreamEnabled === true;
  if (streamOn && stream?.StreamViewType !== table.stream) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
    changes.push('disabled stream');
  }
  if (table.stream && !(streamOn && stream?.StreamViewType === table.stream)) {
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }),
    );
    changes.push(`enabled stream ${table.stream}`);
  }
  if (description.BillingModeSummary?.BillingMode !== undefined && description.BillingModeSummary.BillingMode !== 'PAY_PER_REQUEST') {
    await client.send(new UpdateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST' }));
    changes.push('switched to on-demand billing');
  }
  return changes;
}

async function reconcileTimeToLive(client: DynamoDBClient, table: TableDefinition, created: boolean): Promise<string[]> {
  const tableName = table.localName;
  const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
  const enabled = current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING';
  const attribute = enabled ? current?.AttributeName : undefined;
  if (attribute === table.ttlAttribute) return [];
  const changes: string[] = [];
  if (attribute !== undefined) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: false, AttributeName: attribute } }));
    changes.push(`disabled TTL on ${attribute}`);
  }
  if (table.ttlAttribute !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: table.ttlAttribute } }),
    );
    // Setting TTL right after creation is part of creating the table, not a change to report.
    if (!created) changes.push(`enabled TTL on ${table.ttlAttribute}`);
  }
  return changes;
}

/** How long an index may take to be built or dropped locally before setup gives up. */
const INDEX_SETTLE_MS = 60_000;

/**
 * Waits until no index of the table is being created or deleted: DynamoDB takes one index change
 * at a time per table (LimitExceededException otherwise), and a deletion may still be running
 * when UpdateTable has answered.
 */
async function indexesSettled(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = performance.now() + INDEX_SETTLE_MS;
  for (;;) {
    const busy = ((await describe(client, tableName)).GlobalSecondaryIndexes ?? []).filter((index) => index.IndexStatus !== 'ACTIVE');
    if (busy.length === 0) return;
    if (performance.now() > deadline) throw new Error(`${tableName}: index ${busy.map((index) => `${index.IndexName} ${index.IndexStatus}`).join(', ')} after ${INDEX_SETTLE_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table) throw new Error(`DescribeTable returned no description for ${tableName}`);
  return Table;
}

function indexKeys(index: IndexDefinition): (KeyAttribute | undefined)[] {
  return [index.partitionKey, index.sortKey];
}

/** Attribute definitions for the given keys, failing if one name is declared with two types. */
function attributeDefinitions(table: TableDefinition, keys: (KeyAttribute | undefined)[]): AttributeDefinition[] {
  const types = new Map<string, KeyAttribute['type']>();
  for (const key of keys) {
    if (!key) continue;
    const seen = types.get(key.name);
    if (seen && seen !== key.type) {
      throw new Error(`table ${table.id} declares attribute ${key.name} as both ${seen} and ${key.type}`);
    }
    types.set(key.name, key.type);
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

function sameKeys(actual: KeySchemaElement[] | undefined, wanted: KeySchemaElement[]): boolean {
  return formatKeys(actual) === formatKeys(wanted);
}

function formatKeys(keys: KeySchemaElement[] | undefined): string {
  return (keys ?? [])
    .map((key) => `${key.AttributeName}(${key.KeyType})`)
    .sort()
    .join(' + ');
}

function definedTypes(definitions: AttributeDefinition[] | undefined): Map<string, string> {
  return new Map((definitions ?? []).map((definition) => [definition.AttributeName ?? '', definition.AttributeType ?? '']));
}

function indexMatches(actual: GlobalSecondaryIndexDescription, wanted: IndexDefinition, types: Map<string, string>): boolean {
  return (
    sameKeys(actual.KeySchema, keySchema(wanted.partitionKey, wanted.sortKey)) &&
    indexKeys(wanted).every((key) => !key || types.get(key.name) === key.type) &&
    actual.Projection?.ProjectionType === 'ALL'
  );
}
