import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamo';
import { DataDirInUseError } from '../../../local/errors';
import { isAlive } from '../../../local/internal/processes';
import { removeTempDataDirs, tempDataDir } from './helpers';

/** Makes the pid file of `dynamo` claim it was started by `ownerPid`. */
function claimOwner(dynamo: DynamoDbLocal, ownerPid: number): void {
  const pidFile = join(dynamo.dbPath, 'dynamodb-local.pid');
  const { javaPid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { javaPid: number };
  writeFileSync(pidFile, JSON.stringify({ ownerPid, javaPid }));
}

const javaPidOf = (dynamo: DynamoDbLocal): number =>
  (JSON.parse(readFileSync(join(dynamo.dbPath, 'dynamodb-local.pid'), 'utf8')) as { javaPid: number }).javaPid;

describe('startDynamoDbLocal on a data directory another runner used', () => {
  /**
   * One DynamoDB Local on one data directory for both cases (a JVM start less): each first makes its
   * pid file name the runner it needs, alive or dead. The case that has it stopped runs last.
   */
  const dataDir = tempDataDir('orphan');
  let previous: DynamoDbLocal;
  let javaPid: number;
  const started: DynamoDbLocal[] = [];

  beforeAll(async () => {
    previous = await startDynamoDbLocal({ dataDir });
    started.push(previous);
    javaPid = javaPidOf(previous);
  });
  afterAll(async () => {
    for (const dynamo of started) await dynamo.stop();
    removeTempDataDirs();
  });

  it('refuses while the runner that started it is alive', async () => {
    // Prepare
    claimOwner(previous, process.ppid);

    // Act
    const next = startDynamoDbLocal({ dataDir });

    // Assess
    await expect(next).rejects.toThrow(DataDirInUseError);
    expect(isAlive(javaPid)).toBe(true);
  });

  it('stops the DynamoDB Local a runner that died left behind', async () => {
    // Prepare
    const deadOwner = spawnSync(process.execPath, ['-e', '0']).pid as number;
    claimOwner(previous, deadOwner);
    expect(isAlive(javaPid)).toBe(true);

    // Act
    const next = await startDynamoDbLocal({ dataDir });
    started.push(next);

    // Assess
    expect(isAlive(javaPid)).toBe(false);
    expect(next.port).not.toBe(previous.port);
  });
});
