import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamo';
import { DataDirInUseError } from '../../../local/errors';
import { isAlive } from '../../../local/internal/processes';
import { removeTempDataDirs, tempDataDir } from './helpers';

/** A DynamoDB Local whose pid file claims it was started by `ownerPid`. */
async function startOwnedBy(dataDir: string, ownerPid: number): Promise<{ dynamo: DynamoDbLocal; javaPid: number }> {
  const dynamo = await startDynamoDbLocal({ dataDir });
  const pidFile = join(dynamo.dbPath, 'dynamodb-local.pid');
  const { javaPid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { javaPid: number };
  writeFileSync(pidFile, JSON.stringify({ ownerPid, javaPid }));
  return { dynamo, javaPid };
}

describe('startDynamoDbLocal on a data directory another runner used', () => {
  const started: DynamoDbLocal[] = [];

  afterAll(async () => {
    for (const dynamo of started) await dynamo.stop();
    removeTempDataDirs();
  });

  it('stops the DynamoDB Local a runner that died left behind', async () => {
    // Prepare
    const dataDir = tempDataDir('orphan');
    const deadOwner = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const orphan = await startOwnedBy(dataDir, deadOwner);
    started.push(orphan.dynamo);

    // Act
    const next = await startDynamoDbLocal({ dataDir });
    started.push(next);

    // Assess
    expect(isAlive(orphan.javaPid)).toBe(false);
    expect(next.port).not.toBe(orphan.dynamo.port);
  });

  it('refuses while the runner that started it is alive', async () => {
    // Prepare
    const dataDir = tempDataDir('owned');
    const owned = await startOwnedBy(dataDir, process.ppid);
    started.push(owned.dynamo);

    // Act
    const next = startDynamoDbLocal({ dataDir });

    // Assess
    await expect(next).rejects.toThrow(DataDirInUseError);
    expect(isAlive(owned.javaPid)).toBe(true);
  });
});
