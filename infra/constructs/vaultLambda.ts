import { join, relative } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_DEFAULTS } from '../../shared/api/route';
import { DECODER_PACKAGES } from '../../shared/seed/qr/decoderWasm';
import { bundleHash } from '../bundleFingerprint';
import { decoderWasmFiles, LOCK_FILE, QR_READER_MODULE, REPO_ROOT, zxingReaderWasmPath } from '../projectPaths';

/** How long function logs are kept (audit events have their own store and archive). */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_YEAR;

/** zxing-wasm's reader binary, copied next to the bundle of functions that decode QR pictures. */
export const ZXING_WASM_FILE = 'zxing_reader.wasm';

/**
 * esbuild settings shared by every function: ESM for Node.js 22, with a `require` made by
 * createRequire so bundled CJS dependencies still work; minified, but class and function names
 * kept (errors are named after their class); `__dirname` defined. Source maps only when asked for (see
 * `SOURCE_MAPS_CONTEXT`): without sources they still outweigh the minified code they map (bench/bundles.ts).
 */
export const ESBUILD_OPTIONS = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as otpvaultCreateRequire } from 'node:module'; const require = otpvaultCreateRequire(import.meta.url);",
  // Bundled CommonJS that reads __dirname (libheif-js's Emscripten glue) gets the bundle's folder, as it
  // would in CommonJS; a define only replaces free references, never a module's own declaration.
  define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
  minify: true,
  keepNames: true,
};

/** Packages the Lambda Node.js runtime provides, left out of every bundle. */
export const RUNTIME_PACKAGES = ['@aws-sdk/*', '@smithy/*'];

/**
 * What a function's bundle leaves out (esbuild `external`): the runtime's SDK always; and unless its row
 * says `decodesPictures`, the picture decoders: seed intake's QR module (`shared/seed/qr`, loaded by a
 * dynamic import on the first picture) and the decoders' packages (dynamic imports only, see
 * DECODER_PACKAGES). Shared by the stack, the bundle bench and the bundled-decoder test.
 */
export function bundleExternals(decodesPictures: boolean): string[] {
  return [...RUNTIME_PACKAGES, ...(decodesPictures ? [] : [QR_READER_MODULE, ...DECODER_PACKAGES])];
}

/** `cdk synth -c otpvault:sourceMaps=true` ships source maps (without sources) and turns them on. */
export const SOURCE_MAPS_CONTEXT = 'otpvault:sourceMaps';

export interface VaultLambdaProps {
  /** Folder name under `handlersDir` (`<name>/handler.ts`, exporting `handler`). */
  readonly name: string;
  readonly description: string;
  /** Folder holding the handler folders. */
  readonly handlersDir: string;
  /** From `sourceDigest(handlersDir)`: computed once per synth, shared by every function. */
  readonly sourceDigest: string;
  readonly environment: Record<string, string>;
  /** @default FUNCTION_DEFAULTS.memoryMb */
  readonly memoryMb?: number;
  /** @default FUNCTION_DEFAULTS.timeoutSeconds */
  readonly timeoutSeconds?: number;
  /**
   * From the row's `decodesPictures`: bundle the picture decoders and copy zxing-wasm's reader binary and
   * the decoders' binaries next to the bundle (`/var/task/zxing_reader.wasm`, `/var/task/libheif.wasm`...);
   * without, the decoders are left out of the bundle (see `bundleExternals`). @default false
   */
  readonly decodesPictures?: boolean;
}

/**
 * One otpvault function: a NodejsFunction (Node.js 22, arm64, ESM) bundled locally with esbuild,
 * its own log group with a retention, and its own role holding only the right to write that log
 * group. Callers add the rest of the role's policy.
 */
export class VaultLambda extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The handler file bundled (`<handlersDir>/<name>/handler.ts`). */
  readonly entry: string;
  /** Whether the bundle carries the picture decoders (see `VaultLambdaProps.decodesPictures`). */
  readonly decodesPictures: boolean;

  constructor(scope: Construct, id: string, props: VaultLambdaProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `otpvault ${props.name}`,
    });
    this.logGroup.grantWrite(this.role);

    const entry = join(props.handlersDir, props.name, 'handler.ts');
    const decodesPictures = props.decodesPictures ?? false;
    this.entry = entry;
    this.decodesPictures = decodesPictures;
    const sourceMaps = String(this.node.tryGetContext(SOURCE_MAPS_CONTEXT)) === 'true';
    const esbuildOptions = {
      ...ESBUILD_OPTIONS,
      ...(sourceMaps ? { sourceMap: true, sourcesContent: false } : {}),
      // The Lambda runtime's SDK (as the sdkV3ExcludeSmithyPackages flag does), and no picture decoders where none runs.
      externalModules: bundleExternals(decodesPictures),
    };
    const extraFiles = decodesPictures ? [ZXING_WASM_FILE, ...decoderWasmFiles().map((f) => f.file)] : [];
    this.fn = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}) },
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      bundling: {
        ...esbuildOptions,
        forceDockerBundling: false,
        commandHooks: decodesPictures ? copyDecoderWasm() : undefined,
        // Known before bundling, so an unchanged function is not bundled again (see bundleFingerprint).
        assetHash: bundleHash(props.sourceDigest, {
          entry: relative(REPO_ROOT, entry),
          ...esbuildOptions,
          extraFiles,
          externalModules: esbuildOptions.externalModules.map((m) => (m.startsWith('/') ? relative(REPO_ROOT, m) : m)),
        }),
      },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the project targets everywhere (engines, local runner, CI); moving to Node.js 24 is a separate, tested upgrade.',
    });
  }
}

/** Copies zxing-wasm's reader binary and the picture decoders' binaries next to the bundle. */
function copyDecoderWasm(): ICommandHooks {
  const files = [{ file: ZXING_WASM_FILE, source: zxingReaderWasmPath() }, ...decoderWasmFiles()];
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => files.map(({ file, source }) => `cp "${source}" "${join(outputDir, file)}"`),
  };
}
