import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { build } from 'esbuild';
import { bundleExternals, VaultLambda } from '../../infra/constructs/vaultLambda';
import { stackBuildOptions } from '../../infra/esbuildApiOptions';
import { REPO_ROOT } from '../../infra/projectPaths';
import { cdkJsonContext, temporaryOutdir } from './synthHelpers';

/** A function of the stack as its bundle is made: handler file, decoders or not, asset hash. */
export interface FunctionBundle {
  /** Construct path of the function, e.g. `OtpVaultTest/Functions/health/Function`. */
  path: string;
  entry: string;
  decodesPictures: boolean;
  /** NodejsFunction's asset hash: `cdk.out/asset.<hash>/` holds the bundle. */
  assetHash: string;
}

/**
 * Every VaultLambda of the stack `makeStack` builds, read from a copy built with bundling skipped (the
 * asset hash is known before bundling, see infra/bundleFingerprint.ts, so it is the same either way).
 */
export function functionBundlesOf(makeStack: (app: App) => Stack): FunctionBundle[] {
  const app = new App({ outdir: temporaryOutdir(), context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = makeStack(app);
  return stack.node
    .findAll()
    .filter((c): c is VaultLambda => c instanceof VaultLambda)
    .map((lambda) => {
      const code = lambda.fn.node.findChild('Code');
      if (!(code instanceof Asset)) throw new Error(`${lambda.fn.node.path} has no code asset`);
      return { path: lambda.fn.node.path, entry: lambda.entry, decodesPictures: lambda.decodesPictures, assetHash: code.assetHash };
    });
}

/**
 * Bundles `bundles` with esbuild's API as the stack's NodejsFunction does (the stack's options and
 * externals, from the repository root), one esbuild call per set of externals instead of one `npx esbuild`
 * per function, each to `<outdir>/asset.<hash>/index.mjs`, where NodejsFunction puts its own output.
 */
export async function bundleWithEsbuild(outdir: string, bundles: readonly FunctionBundle[]): Promise<void> {
  for (const decodesPictures of [false, true]) {
    const group = bundles.filter((b) => b.decodesPictures === decodesPictures);
    if (group.length === 0) continue;
    await build({
      ...stackBuildOptions(),
      absWorkingDir: REPO_ROOT,
      entryPoints: group.map((b) => ({ in: b.entry, out: join(`asset.${b.assetHash}`, 'index') })),
      outdir,
      outExtension: { '.js': '.mjs' },
      external: bundleExternals(decodesPictures),
    });
  }
}

/**
 * Puts the bundles of `bundles` in the cloud assembly folder before the stack is built: finding
 * `asset.<hash>` there, CDK takes it instead of bundling the function again. Functions that decode
 * pictures are refused: their bundling also copies the decoders' binaries (a NodejsFunction command
 * hook), which only the real path should do.
 */
export async function prebuildBundles(outdir: string, bundles: readonly FunctionBundle[]): Promise<void> {
  const refused = bundles.filter((b) => b.decodesPictures).map((b) => b.path);
  if (refused.length > 0) throw new Error(`only NodejsFunction bundles functions that decode pictures: ${refused.join(', ')}`);
  await bundleWithEsbuild(outdir, bundles);
}
