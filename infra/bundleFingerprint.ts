import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './projectPaths';

/** Shared code the handlers import, and the files that pin node_modules and the compiler settings. */
const SHARED_DIRS = ['shared'];
const PINNING_FILES = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'cdk.json'];

/**
 * Digest of everything function bundles are built from, bundling options aside: every handler
 * folder, the shared code, and the files that pin dependencies, compiler settings and CDK feature flags.
 *
 * NodejsFunction otherwise hashes the bundle *output*, which means running esbuild (through `npx`,
 * about a second per function) on every synth only to learn that nothing changed. With the hash
 * known before bundling, CDK reuses `cdk.out/asset.<hash>` when it is already there, so only a change
 * to code, dependencies or options rebundles. Deliberately coarse: any handler or shared change
 * rebundles every function.
 *
 * @param handlersDir - folder holding `<op>/handler.ts`
 * @example
 * const digest = sourceDigest('/repo/lambdas');
 */
export function sourceDigest(handlersDir: string): string {
  const hash = createHash('sha256');
  const dirs = [handlersDir, ...SHARED_DIRS.map((d) => join(REPO_ROOT, d))];
  for (const dir of dirs) for (const file of filesUnder(dir)) addFile(hash, file);
  for (const file of PINNING_FILES.map((f) => join(REPO_ROOT, f))) if (existsSync(file)) addFile(hash, file);
  return hash.digest('hex');
}

/**
 * Asset hash of one function's bundle: the source digest and the options that shape the bundle.
 *
 * @param digest - from {@link sourceDigest}
 * @param options - entry, esbuild options, extra files: anything that changes the output
 * @example
 * bundleHash(digest, { entry: 'lambdas/health/handler.ts', format: 'esm' });
 */
export function bundleHash(digest: string, options: Record<string, unknown>): string {
  return createHash('sha256').update(digest).update(JSON.stringify(options)).digest('hex');
}

function addFile(hash: Hash, file: string): void {
  hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}
