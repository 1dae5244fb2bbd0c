import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../../local/dataDir';
import { isAlive, waitForPidExit } from '../../../local/internal/processes';
import { removeTempDataDirs, tempDataDir } from './helpers';

afterAll(removeTempDataDirs);

/** Starts the fixture; resolves with its process and the line it prints once DynamoDB Local answers. */
function startFixture(dataDir: string): Promise<{ owner: ReturnType<typeof spawn>; javaPid: number; files: string[] }> {
  const script = fileURLToPath(new URL('./dynamoExitWithOwner.fixture.ts', import.meta.url));
  const owner = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  owner.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    owner.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve({ owner, ...(JSON.parse(out) as { javaPid: number; files: string[] }) });
    });
    owner.once('exit', (code) => reject(new Error(`the fixture exited (${code}) before DynamoDB Local answered:\n${err}`)));
  });
}

describe('an in-memory DynamoDB Local that exits with its owner (the one a test run shares)', () => {
  it('writes no database file, and exits by itself once the process that started it is killed', async () => {
    // Prepare
    const { owner, javaPid, files } = await startFixture(tempDataDir('exit-with-owner'));
    try {
      // Act: SIGKILL, so nothing in the owner can stop it.
      owner.kill('SIGKILL');

      // Assess
      expect(files).toEqual(['dynamodb-local.pid']);
      expect(await waitForPidExit(javaPid, 15_000)).toBe(true);
    } finally {
      owner.kill('SIGKILL');
      if (isAlive(javaPid)) process.kill(javaPid, 'SIGKILL');
    }
  });
});
