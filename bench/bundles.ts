/**
 * Every function's bundle as the stack builds it (esbuild with the stack's options, the AWS SDK left to
 * the runtime): minified size (and zod's share of it) and source-map size, and cold init (importing the
 * bundle in a fresh Node process) beside the floor of importing the SDK clients alone, each figure beside
 * its aim (issue 13: ≤ 250 KB for a function that does not decode pictures; init ≤ 1.25× the floor).
 *
 * Cold init is reported as wall time and as the CPU time the import took. On a shared machine the wall
 * time mostly measures waiting for a core (it swings several-fold from run to run), so the ratio to the
 * floor, and its aim, use CPU time. Each run imports the SDK floor first and then the bundle in the same
 * fresh process, so the floor is measured beside every function under the same load, and what the
 * function's own code adds is its own column.
 *
 * Run: npx tsx bench/bundles.ts [--runs N] [--only fnA,fnB]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleExternals } from '../infra/constructs/vaultLambda';
import { BUNDLE_BUDGET_KB, stackBuildOptions } from '../infra/esbuildApiOptions';
import { REPO_ROOT } from '../infra/projectPaths';
import { routes } from '../shared/api/routes';
import { round, table } from './stats';

export interface BundleFigure {
  fn: string;
  decodesPictures: boolean;
  kb: number;
  /** Of `kb`, what zod's modules take. */
  zodKb: number;
  mapKb: number;
  /** Cold init, best of the runs. */
  init: ColdStart;
}

/** The aims of issue 13. */
export const BUNDLE_AIMS = {
  /** KB of minified JavaScript without the AWS SDK, for every function that does not decode pictures. */
  maxKb: BUNDLE_BUDGET_KB,
  /** Cold init (CPU time of the import) as a multiple of importing the three SDK clients alone. */
  maxInitTimesFloor: 1.25,
} as const;

/** Where bundles are written: inside the repository, so the SDK resolves from node_modules as from the Lambda runtime. */
const OUT = join(REPO_ROOT, '.otpvault', 'bench-bundles');

const SDK_FLOOR = "await import('@aws-sdk/client-dynamodb'); await import('@aws-sdk/lib-dynamodb'); await import('@aws-sdk/client-kms');";

/** One cold start, timed in phases. CPU is user + system time. */
interface ColdStart {
  /** Importing the three SDK clients (the floor). */
  floorCpuMs: number;
  /** Then importing the bundle: what the function's own code (and any further SDK client) adds. */
  ownCpuMs: number;
  /** Both: the whole import of the bundle in a fresh process (its SDK imports are the floor's, already loaded). */
  totalCpuMs: number;
  totalWallMs: number;
}

/** A fresh process importing the SDK floor, then the bundle in `dir`: the floor is measured beside every run. */
function coldStart(dir: string): ColdStart {
  const script = `const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
    const c0 = cpu(), t0 = performance.now(); ${SDK_FLOOR} const c1 = cpu(); await import('./index.mjs'); const c2 = cpu();
    console.log(JSON.stringify({ floorCpuMs: c1 - c0, ownCpuMs: c2 - c1, totalCpuMs: c2 - c0, totalWallMs: performance.now() - t0 }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (run.status !== 0) throw new Error(`import failed: ${run.stderr.slice(0, 500)}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as ColdStart;
}

/** Best (lowest) of each figure over the runs. */
function best(runs: ColdStart[]): ColdStart {
  const min = (pick: (r: ColdStart) => number) => round(Math.min(...runs.map(pick)));
  return { floorCpuMs: min((r) => r.floorCpuMs), ownCpuMs: min((r) => r.ownCpuMs), totalCpuMs: min((r) => r.totalCpuMs), totalWallMs: min((r) => r.totalWallMs) };
}

export async function runBundleBench(print = true, runs = 3, only: readonly string[] = []): Promise<{ functions: BundleFigure[] }> {
  rmSync(OUT, { recursive: true, force: true });
  const handlers = readdirSync(join(REPO_ROOT, 'lambdas'))
    .filter((d) => statSync(join(REPO_ROOT, 'lambdas', d)).isDirectory() && (only.length === 0 || only.includes(d)))
    .sort();
  const functions: BundleFigure[] = [];
  for (const fn of handlers) {
    const dir = join(OUT, fn);
    mkdirSync(dir, { recursive: true });
    // As the stack does: the row's `decodesPictures` decides (the authorizer and the consumer have no row: none).
    const decodesPictures = routes.find((route) => route.op === fn)?.decodesPictures ?? false;
    const { metafile } = await build({
      ...stackBuildOptions(),
      entryPoints: [join(REPO_ROOT, 'lambdas', fn, 'handler.ts')],
      outfile: join(dir, 'index.mjs'),
      sourcemap: true, // to report its size: the stack ships none unless asked
      sourcesContent: false,
      metafile: true,
      external: bundleExternals(decodesPictures),
    });
    const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith('index.mjs'))?.[1];
    const zodBytes = Object.entries(output?.inputs ?? {})
      .filter(([path]) => path.includes('node_modules/zod/'))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
    const kb = round(statSync(join(dir, 'index.mjs')).size / 1024);
    const mapKb = round(statSync(join(dir, 'index.mjs.map')).size / 1024);
    const init = best(Array.from({ length: runs }, () => coldStart(dir)));
    functions.push({ fn, decodesPictures, kb, zodKb: round(zodBytes / 1024), mapKb, init });
  }
  if (print) {
    const { maxKb, maxInitTimesFloor } = BUNDLE_AIMS;
    const floor = Math.min(...functions.map((f) => f.init.floorCpuMs));
    console.log(
      `cold init floor: importing @aws-sdk/client-dynamodb, lib-dynamodb and client-kms alone, measured in each run before the bundle: best ${floor} ms CPU`,
    );
    console.log(`aims: ≤ ${maxKb} KB for a function that does not decode pictures; cold init CPU ≤ ${maxInitTimesFloor} x the floor of the same runs`);
    const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER');
    const times = (f: BundleFigure) => round(f.init.totalCpuMs / f.init.floorCpuMs, 2);
    console.log(
      table(
        functions.map((f) => ({
          function: f.fn,
          'KB (min, no SDK)': f.kb,
          'KB aim': f.decodesPictures ? 'pictures' : `≤ ${maxKb} ${verdict(f.kb <= maxKb)}`,
          'of it zod': f.zodKb,
          'map KB (if asked for)': f.mapKb,
          'init ms wall': f.init.totalWallMs,
          'init ms CPU': f.init.totalCpuMs,
          'floor ms CPU': f.init.floorCpuMs,
          'beyond floor ms CPU': f.init.ownCpuMs,
          'x floor': times(f),
          'init aim': `≤ ${maxInitTimesFloor} ${verdict(times(f) <= maxInitTimesFloor)}`,
        })),
      ),
    );
    const sized = functions.filter((f) => !f.decodesPictures);
    console.log(
      `size aim met by ${sized.filter((f) => f.kb <= maxKb).length} of ${sized.length} functions that do not decode pictures; ` +
        `init aim met by ${functions.filter((f) => times(f) <= maxInitTimesFloor).length} of ${functions.length} (best of ${runs} runs each)`,
    );
  }
  rmSync(OUT, { recursive: true, force: true });
  return { functions };
}

const runsArg = process.argv.indexOf('--runs');
const onlyArg = process.argv.indexOf('--only');
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // --only: some functions, e.g. to compare one change back to back (the full run takes minutes).
  const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '').split(',').filter(Boolean) : [];
  await runBundleBench(true, runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3, only);
}
