import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, lockDataDir, REPO_ROOT } from '../../../local/dataDir';
import { DataDirInUseError } from '../../../local/errors';
import { removeTempDataDirs, tempDataDir } from './helpers';

afterAll(removeTempDataDirs);

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

describe('defaultDataDir', () => {
  it('is .otpvault in the repository root unless OTPVAULT_DATA_DIR says otherwise', () => {
    // Act and Assess
    expect(defaultDataDir({})).toBe(join(REPO_ROOT, '.otpvault'));
    expect(defaultDataDir({ OTPVAULT_DATA_DIR: ' /tmp/elsewhere ' })).toBe('/tmp/elsewhere');
  });
});

describe('lockDataDir', () => {
  it('claims a free data directory and releases it', async () => {
    // Prepare
    const dataDir = tempDataDir('lock');

    // Act
    const release = await lockDataDir(dataDir);
    const held = readFileSync(join(dataDir, 'local-stack.pid'), 'utf8');
    await release();

    // Assess
    expect(held).toBe(String(process.pid));
    expect(existsSync(join(dataDir, 'local-stack.pid'))).toBe(false);
  });

  it('refuses a data directory a live process holds', async () => {
    // Prepare
    const dataDir = tempDataDir('held');
    writeFileSync(join(dataDir, 'local-stack.pid'), String(process.ppid));

    // Act
    const locked = lockDataDir(dataDir);

    // Assess
    await expect(locked).rejects.toThrow(DataDirInUseError);
    await expect(locked).rejects.toThrow(`pid ${process.ppid}`);
  });

  it('takes over a lock left by a process that has exited', async () => {
    // Prepare
    const dataDir = tempDataDir('stale');
    writeFileSync(join(dataDir, 'local-stack.pid'), String(deadPid()));

    // Act
    const release = await lockDataDir(dataDir);

    // Assess
    expect(readFileSync(join(dataDir, 'local-stack.pid'), 'utf8')).toBe(String(process.pid));
    await release();
  });
});
