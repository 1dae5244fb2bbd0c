/**
 * Every function's bundle as the stack builds it (esbuild with the stack's options, the AWS SDK left to
 * the runtime): minified size and source-map size, and cold init (importing the bundle in a fresh Node
 * process, best of 3) beside the floor of importing the SDK clients alone.
 *
 * Run: npx tsx bench/bundles.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleExternals } from '../infra/constructs/vaultLambda';
import { stackBuildOptions } from '../infra/esbuildApiOptions';
import { REPO_ROOT } from '../infra/projectPaths';
import { routes } from '../shared/api/routes';
import { round, table } from './stats';

export interface BundleFigure {
  fn: string;
  kb: number;
  mapKb: number;
  initMs: number;
}

/** Where bundles are written: inside the repository, so the SDK resolves from node_modules as from the Lambda runtime. */
const OUT = join(REPO_ROOT, '.otpvault', 'bench-bundles');

const SDK_FLOOR = "await import('@aws-sdk/client-dynamodb'); await import('@aws-sdk/lib-dynamodb'); await import('@aws-sdk/client-kms');";

/** Milliseconds to evaluate `code` (an ES module body) in a fresh process, best of `runs`. */
function importMs(code: string, cwd: string, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const script = `const t0 = performance.now(); ${code} console.log(performance.now() - t0);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH } });
    if (run.status !== 0) throw new Error(`import failed: ${run.stderr.slice(0, 500)}`);
    times.push(Number(run.stdout.trim().split('\n').at(-1)));
  }
  return round(Math.min(...times));
}

export async function runBundleBench(print = true): Promise<{ functions: BundleFigure[]; sdkFloorMs: number }> {
  rmSync(OUT, { recursive: true, force: true });
  const handlers = readdirSync(join(REPO_ROOT, 'lambdas')).filter((d) => statSync(join(REPO_ROOT, 'lambdas', d)).isDirectory()).sort();
  const functions: BundleFigure[] = [];
  for (const fn of handlers) {
    const dir = join(OUT, fn);
    mkdirSync(dir, { recursive: true });
    await build({
      ...stackBuildOptions(),
      entryPoints: [join(REPO_ROOT, 'lambdas', fn, 'handler.ts')],
      outfile: join(dir, 'index.mjs'),
      sourcemap: true, // to report its size: the stack ships none unless asked
      sourcesContent: false,
      // As the stack does: the row's `decodesPictures` decides (the authorizer and the consumer have no row: none).
      external: bundleExternals(routes.find((route) => route.op === fn)?.decodesPictures ?? false),
    });
    const kb = round(statSync(join(dir, 'index.mjs')).size / 1024);
    const mapKb = round(statSync(join(dir, 'index.mjs.map')).size / 1024);
    functions.push({ fn, kb, mapKb, initMs: importMs("await import('./index.mjs');", dir) });
  }
  const sdkFloorMs = importMs(SDK_FLOOR, REPO_ROOT);
  if (print) {
    console.log(`cold init floor: importing @aws-sdk/client-dynamodb, lib-dynamodb and client-kms alone: ${sdkFloorMs} ms`);
    console.log(
      table(
        functions.map((f) => ({
          function: f.fn,
          'KB (min, no SDK)': f.kb,
          'map KB (if asked for)': f.mapKb,
          'init ms': f.initMs,
          'x SDK floor': round(f.initMs / sdkFloorMs, 2),
        })),
      ),
    );
  }
  rmSync(OUT, { recursive: true, force: true });
  return { functions, sdkFloorMs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runBundleBench();
