import type { BuildOptions } from 'esbuild';
import { ESBUILD_OPTIONS } from './constructs/vaultLambda';

/**
 * The stack's esbuild settings (`ESBUILD_OPTIONS`, which NodejsFunction turns into CLI flags) as esbuild
 * API options, for the benches and tests that bundle a function the way the stack does.
 *
 * @example
 * await build({ ...stackBuildOptions(), entryPoints: ['lambdas/health/handler.ts'], outfile: 'out/index.mjs' });
 */
export function stackBuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: ESBUILD_OPTIONS.format,
    target: ESBUILD_OPTIONS.target,
    mainFields: ESBUILD_OPTIONS.mainFields,
    banner: { js: ESBUILD_OPTIONS.banner },
    define: ESBUILD_OPTIONS.define,
    minify: ESBUILD_OPTIONS.minify,
    keepNames: ESBUILD_OPTIONS.keepNames,
    logLevel: 'silent',
  };
}

/**
 * Most KB (KiB) of minified JavaScript, AWS SDK left out, in the bundle of a function that does not decode
 * pictures (issue 13). Reported by bench/bundles.ts, held by test/infra/functionBundles.test.ts.
 */
export const BUNDLE_BUDGET_KB = 250;
