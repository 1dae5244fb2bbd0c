/**
 * One DynamoDB Local for a whole jest run: started by jest's global setup (`test/setup/`), in
 * memory, its endpoint handed to the workers in an environment variable. Each test vault (and
 * fixture) on it names its tables with a prefix of its own, so files never see each other's items.
 * Without the variable (jest run without the global setup) each file starts its own, as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient, startDynamoDbLocal } from '../../local/dynamo';

/** Where the global setup puts the shared endpoint; workers inherit it. */
export const SHARED_DYNAMODB_ENV = 'OTPVAULT_TEST_DYNAMODB_ENDPOINT';

/** The endpoint of the run's shared DynamoDB Local, if the global setup started one. */
export function sharedDynamoDbEndpoint(): string | undefined {
  return process.env[SHARED_DYNAMODB_ENV] || undefined;
}

/** A table-name prefix nobody else in the run uses (DynamoDB allows `[A-Za-z0-9_.-]`). */
export function uniqueTablePrefix(label = 'test'): string {
  return `${label}-${randomBytes(5).toString('hex')}-`;
}

/** DynamoDB Local for a test fixture that makes tables of its own (not through a test vault). */
export interface FixtureDynamoDb {
  endpoint: string;
  /** The name to create table `name` under: prefixed on the shared instance, so no other file's collides. */
  tableName(name: string): string;
  /** Deletes the fixture's tables from the shared instance, or stops its own. */
  stop(): Promise<void>;
}

/**
 * The run's shared DynamoDB Local for a fixture, or (no shared one) a DynamoDB Local of its own
 * with its data in `<dataDir>/dynamodb/`.
 */
export async function fixtureDynamoDb(dataDir: string): Promise<FixtureDynamoDb> {
  const shared = sharedDynamoDbEndpoint();
  if (!shared) {
    const own = await startDynamoDbLocal({ dataDir });
    return { endpoint: own.endpoint, tableName: (name) => name, stop: () => own.stop() };
  }
  const prefix = uniqueTablePrefix('fixture');
  return { endpoint: shared, tableName: (name) => `${prefix}${name}`, stop: () => deleteTablesNamed(shared, prefix) };
}

/** Deletes every table whose name starts with `prefix`. */
async function deleteTablesNamed(endpoint: string, prefix: string): Promise<void> {
  const client = localDynamoDbClient(endpoint);
  try {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(out.TableNames ?? []).filter((name) => name.startsWith(prefix)));
      start = out.LastEvaluatedTableName;
    } while (start);
    for (const name of names) await client.send(new DeleteTableCommand({ TableName: name }));
  } finally {
    client.destroy();
  }
}

export interface RunDynamoDb {
  endpoint: string;
  /** Stops it and removes its directory (which holds only the pid file). */
  stop(): Promise<void>;
}

/**
 * Starts the run's DynamoDB Local: in memory (stacks delete their tables, and nothing is left on
 * disk), and exiting by itself should jest be killed before its global teardown stops it.
 */
export async function startRunDynamoDb(): Promise<RunDynamoDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'otpvault-run-dynamodb-'));
  try {
    const dynamo = await startDynamoDbLocal({ dataDir, inMemory: true, exitWithOwner: true });
    return {
      endpoint: dynamo.endpoint,
      stop: async () => {
        try {
          await dynamo.stop();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
