/**
 * How to run `LoopbackDynamoDbLocal.java` (which binds DynamoDB Local to 127.0.0.1): compiled once
 * per source version into `node_modules/.cache/otpvault/`, since Java's source-file mode compiles
 * on every start (about a second on two busy cores). Without `javac`, source-file mode it is.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./LoopbackDynamoDbLocal.java', import.meta.url));
const CLASS_NAME = 'LoopbackDynamoDbLocal';
const CACHE_ROOT = fileURLToPath(new URL('../../node_modules/.cache/otpvault/', import.meta.url));

/** The Java arguments that take the place of `-jar <jar>`. */
export function loopbackLauncherArgs(jar: string, cwd: string): string[] {
  const absoluteJar = resolve(cwd, jar);
  const compiled = compiledLauncher(absoluteJar);
  return compiled ? ['-cp', `${absoluteJar}${delimiter}${compiled}`, CLASS_NAME] : ['-cp', absoluteJar, SOURCE];
}

function compiledLauncher(jar: string): string | undefined {
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 16);
  const dir = join(CACHE_ROOT, `loopback-${hash}`);
  if (existsSync(join(dir, `${CLASS_NAME}.class`))) return dir;
  // Compiled next to where it goes, then renamed: a concurrent start never sees half a directory.
  const building = `${dir}.${process.pid}.tmp`;
  try {
    mkdirSync(building, { recursive: true });
    const result = spawnSync('javac', ['--release', '17', '-nowarn', '-cp', jar, '-d', building, SOURCE], { stdio: 'ignore', timeout: 60_000 });
    if (result.status !== 0) return undefined;
    try {
      renameSync(building, dir);
    } catch {
      // Another start won the race; its copy is as good.
    }
    return existsSync(join(dir, `${CLASS_NAME}.class`)) ? dir : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}
