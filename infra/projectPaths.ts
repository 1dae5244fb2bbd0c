import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DECODER_WASM } from '../shared/seed/qr/decoderWasm';

/** The repository root: `infra/..`. Bundling runs from here so esbuild sees the project's node_modules. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Lock file that pins what esbuild bundles (also the NodejsFunction asset's project marker). */
export const LOCK_FILE = join(REPO_ROOT, 'package-lock.json');

/** The QR picture decoders (`shared/seed/qr`), bundled only into functions whose row says `decodesPictures`. */
export const QR_READER_MODULE = join(REPO_ROOT, 'shared', 'seed', 'qr', 'index.ts');

/** Default folder holding `<op>/handler.ts` for every route. */
export const DEFAULT_HANDLERS_DIR = join(REPO_ROOT, 'lambdas');

/**
 * Absolute path of zxing-wasm's reader binary, resolved through the package's own `exports` map so a
 * layout change in a zxing-wasm upgrade fails here, at synth, rather than at the first QR upload.
 */
export function zxingReaderWasmPath(): string {
  const path = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
  if (!existsSync(path)) throw new Error(`zxing-wasm reader binary not found at ${path}`);
  return path;
}

/** The picture decoders' binaries (HEIC, WebP, AVIF, large JPEG): file name in the bundle, absolute source path. */
export function decoderWasmFiles(): { file: string; source: string }[] {
  const require = createRequire(import.meta.url);
  return Object.values(DECODER_WASM).map(({ file, module }) => {
    const source = require.resolve(module);
    if (!existsSync(source)) throw new Error(`picture decoder binary not found at ${source}`);
    return { file, source };
  });
}
