/**
 * `npm run build:cli`: bundles the CLI (cli/main.ts) with the local esbuild into dist/cli/, so the
 * `otpvault` bin starts without compiling TypeScript. Packages stay external (loaded from
 * node_modules); lazy `import()`s become chunks, loaded only by the commands that need them.
 *
 * Usage: node scripts/build-cli.mjs [outdir]
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds the CLI into `outdir` (default dist/cli); returns the entry file. */
export async function buildCli(outdir = `${root}dist/cli`) {
  await build({
    entryPoints: { otpvault: `${root}cli/main.ts` },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    // Chunks resolve packages from the repository's node_modules.
    outExtension: { '.js': '.mjs' },
  });
  return `${outdir}/otpvault.mjs`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await buildCli(process.argv[2]));
}
