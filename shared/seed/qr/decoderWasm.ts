import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { optionalEnv } from '../../config/env';

/** A folder holding the picture decoders' .wasm files by their file names (a Lambda bundle: `/var/task`). */
export const DECODER_WASM_DIR_ENV = 'OTPVAULT_DECODER_WASM_DIR';

/**
 * Each picture decoder's WebAssembly binary: its file name, and where it is inside node_modules. JPEG's
 * is libjpeg-turbo's TurboJPEG API built with wasi-sdk: only its .wasm is used, instantiated by
 * jpegTurbo.ts (the package's own JS reads the file beside itself on require, which a bundle has not).
 */
export const DECODER_WASM = {
  heic: { file: 'libheif.wasm', module: 'libheif-js/libheif-wasm/libheif.wasm' },
  webp: { file: 'webp_dec.wasm', module: '@jsquash/webp/codec/dec/webp_dec.wasm' },
  avif: { file: 'avif_dec.wasm', module: '@jsquash/avif/codec/dec/avif_dec.wasm' },
  jpeg: { file: 'jpeg-turbo.wasm', module: '@cwasm/jpeg-turbo/jpeg-turbo.wasm' },
} as const;

export type DecoderWasm = keyof typeof DECODER_WASM;

/**
 * The decoders' packages. They are only ever loaded by dynamic `import()` (decoderWasmLoader.ts), so a
 * function that decodes no picture can leave them out of its bundle (esbuild `external`): about 150 KB.
 */
export const DECODER_PACKAGES = ['libheif-js', 'heic-decode', '@jsquash/*'] as const;

/**
 * Where a decoder's .wasm is: in `OTPVAULT_DECODER_WASM_DIR` when set, else inside node_modules. Left
 * alone, the Emscripten glue of these packages fetches its .wasm relative to its own URL: a network
 * dependency in a browser build and a missing file in a bundle. Resolved lazily, as for zxing.
 *
 * @example
 * decoderWasmPath('webp', { OTPVAULT_DECODER_WASM_DIR: '/var/task' }); // '/var/task/webp_dec.wasm'
 */
export function decoderWasmPath(name: DecoderWasm, env: NodeJS.ProcessEnv = process.env): string {
  const dir = optionalEnv(DECODER_WASM_DIR_ENV, env);
  if (dir !== undefined) return join(dir, DECODER_WASM[name].file);
  try {
    return createRequire(import.meta.url).resolve(DECODER_WASM[name].module);
  } catch (error) {
    throw new Error(`cannot find ${DECODER_WASM[name].module} (no node_modules in a bundle?); set ${DECODER_WASM_DIR_ENV}`, { cause: error });
  }
}

/** Reads a decoder's .wasm bytes from disk, with a message naming the path and the variable. */
export async function readDecoderWasm(name: DecoderWasm): Promise<Uint8Array> {
  const path = decoderWasmPath(name);
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new Error(`cannot read the ${name} decoder wasm at ${path}; set ${DECODER_WASM_DIR_ENV} to its folder`, { cause: error });
  }
}

/** Compiles a decoder's .wasm once per process; a failure is not kept, so a later call retries. */
export function onceAsync<T>(load: () => Promise<T>): () => Promise<T> {
  let ready: Promise<T> | undefined;
  return () => {
    ready ??= load().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}
