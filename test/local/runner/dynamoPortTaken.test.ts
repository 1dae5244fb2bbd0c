import { createServer } from 'node:net';
import { jest } from '@jest/globals';
import { removeTempDataDirs, tempDataDir } from './helpers';

/**
 * Jest workers start DynamoDB Local side by side. A free port handed to Java stays unbound for the
 * seconds the JVM takes to start, so another worker's DynamoDB Local may get it first; the
 * readiness probe then reached that other instance, and tests ran against its tables.
 */

/** Ports `freePort` hands out before it asks the OS again (as if another process had just been given them). */
const handOut: number[] = [];

jest.unstable_mockModule('../../../local/internal/freePort', () => ({
  freePort: () =>
    handOut.length > 0
      ? Promise.resolve(handOut.shift() as number)
      : new Promise<number>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
          });
        }),
}));

const { startDynamoDbLocal } = await import('../../../local/dynamo');
const { ensureTables } = await import('../../../local/dynamoTables');
const { DynamoDbLocalStartError } = await import('../../../local/errors');
const { TABLES } = await import('../../../shared/store/tables');
const { fixtureDynamoDb } = await import('../../helpers/sharedDynamoDb');
type DynamoDbLocal = Awaited<ReturnType<typeof startDynamoDbLocal>>;
type FixtureDynamoDb = Awaited<ReturnType<typeof fixtureDynamoDb>>;

const portOf = (dynamo: { endpoint: string }): number => Number(new URL(dynamo.endpoint).port);

describe('startDynamoDbLocal on a port another DynamoDB Local holds', () => {
  /**
   * The other DynamoDB Local: the one the run shares, which is just such another instance (a JVM
   * start less), or one of this file's own when run without jest's global setup.
   */
  let other: FixtureDynamoDb;
  /** The tables, under names of this file's own on the other instance (nobody uses the plain names there). */
  const tables = () => TABLES.map((table) => ({ ...table, localName: other.tableName(table.localName) }));
  const started: DynamoDbLocal[] = [];

  beforeAll(async () => {
    other = await fixtureDynamoDb(tempDataDir('port-owner'));
    await ensureTables(other.endpoint, { tables: tables() });
  });
  afterAll(async () => {
    await Promise.all([other?.stop(), ...started.map((dynamo) => dynamo.stop())]);
    removeTempDataDirs();
  });

  it('fails on a requested port that is taken, although something answers there', async () => {
    // Act
    const start = startDynamoDbLocal({ dataDir: tempDataDir('port-fixed'), port: portOf(other) });

    // Assess
    await expect(start).rejects.toThrow(DynamoDbLocalStartError);
    await expect(start).rejects.toMatchObject({ output: expect.stringMatching(/BindException|Address already in use/) });
  });

  it('moves to another free port when the one it was handed is taken, and serves its own database', async () => {
    // Prepare
    handOut.push(portOf(other));

    // Act
    const dynamo = await startDynamoDbLocal({ dataDir: tempDataDir('port-moved') });
    started.push(dynamo);
    // The names the other instance has: all new here, unless this is the other's database.
    const setups = await ensureTables(dynamo.endpoint, { tables: tables() });

    // Assess
    expect(handOut).toEqual([]);
    expect(dynamo.port).not.toBe(portOf(other));
    expect(setups.map((setup) => setup.created)).toEqual(TABLES.map(() => true));
  });
});
