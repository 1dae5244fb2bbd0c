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
import { startDynamoDbLocal } from '../../local/dynamo';

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
