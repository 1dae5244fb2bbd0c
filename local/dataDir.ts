/**
 * Where the local stack keeps its data, and the lock that stops two stacks sharing it.
 *
 * Layout of a data directory: `dynamodb/` (DynamoDB Local), `issuer/` (token key and JWKS), what
 * the KMS emulator keeps, and `local-stack.pid` while a stack runs.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirInUseError } from './errors';
import { isAlive } from './internal/processes';

/** The repository root (this file lives in `local/`). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Environment variable naming the data directory. */
const DATA_DIR_ENV = 'OTPVAULT_DATA_DIR';

/**
 * The data directory: `OTPVAULT_DATA_DIR` if set, else `.otpvault/` in the repository root
 * (git-ignored).
 *
 * @param env - Environment to read. @default process.env
 * @example
 * const dataDir = defaultDataDir();
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[DATA_DIR_ENV]?.trim();
  return fromEnv ? resolve(fromEnv) : join(REPO_ROOT, '.otpvault');
}

const LOCK_FILE = 'local-stack.pid';

/**
 * Claims a data directory for this process. A lock left by a process that no longer runs is
 * taken over.
 *
 * @param dataDir - The data directory (must exist).
 * @returns A function releasing the claim.
 * @throws DataDirInUseError when a live process holds it.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DataDirInUseError(dataDir, pid);
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}: ${file} keeps reappearing`);
}
