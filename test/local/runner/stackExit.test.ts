import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../../local/dataDir';
import { removeTempDataDirs, tempDataDir } from './helpers';

afterAll(removeTempDataDirs);

/** Runs the fixture; resolves with its output and exit code, or `hung` when it outlives `graceMs` after printing `stopped`. */
function runFixture(dataDir: string, graceMs: number): Promise<{ code: number | null; out: string; err: string; hung: boolean }> {
  const script = fileURLToPath(new URL('./stackExit.fixture.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let hung = false;
  let grace: NodeJS.Timeout | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (grace === undefined && out.includes('stopped\n')) {
      grace = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, graceMs);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(grace);
      resolve({ code, out, err, hung });
    });
  });
}

describe('a local stack with its services in worker threads', () => {
  it('serves, audits, alerts, and once stopped leaves nothing that keeps the process alive', async () => {
    // Prepare
    const dataDir = tempDataDir('exit');

    // Act: a hang detector, not a timing: a live worker or handle keeps a process alive indefinitely
    const run = await runFixture(dataDir, 20_000);

    // Assess
    expect(run).toMatchObject({ hung: false, code: 0, out: 'otp 200\nstopped\n' });
    const alerts = join(dataDir, 'alerts', 'events.jsonl');
    expect(existsSync(alerts) ? readFileSync(alerts, 'utf8') : '').toContain('"Secret Used"');
    expect(existsSync(join(dataDir, 'local-stack.pid'))).toBe(false);
  }, 180_000);
});
