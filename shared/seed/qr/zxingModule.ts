import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, ZXING_WASM_SHA256 } from 'zxing-wasm/reader';
import { optionalEnv } from '../../config/env';

/** Overrides where the zxing reader's .wasm is read from (an absolute path). */
export const ZXING_WASM_ENV = 'OTPVAULT_ZXING_WASM';
const PACKAGE_WASM = 'zxing-wasm/reader/zxing_reader.wasm';

/**
 * Where the zxing reader's .wasm is: `OTPVAULT_ZXING_WASM` when set, else the file inside
 * `node_modules/zxing-wasm/dist/reader/`. A Lambda bundle (esbuild) has no node_modules: the CDK stack
 * copies `node_modules/zxing-wasm/dist/reader/zxing_reader.wasm` next to the bundle and points this
 * variable at it. Resolved lazily: `import.meta.url` means nothing in a CommonJS bundle.
 */
export function zxingWasmPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = optionalEnv(ZXING_WASM_ENV, env);
  if (configured !== undefined) return configured;
  try {
    return createRequire(import.meta.url).resolve(PACKAGE_WASM);
  } catch (error) {
    throw new Error(`cannot find ${PACKAGE_WASM} (no node_modules in a bundle?); set ${ZXING_WASM_ENV} to the .wasm path`, { cause: error });
  }
}

let ready: Promise<void> | undefined;

/**
 * Instantiates zxing-wasm's reader once, from the local .wasm. Left alone, zxing-wasm fetches it from a
 * CDN: a network dependency, and code we would run unchecked. The bytes must match the hash the JS glue
 * was built with, so a .wasm from another zxing-wasm version fails here with a clear message.
 */
export function zxingReady(): Promise<void> {
  ready ??= load().catch((error: unknown) => {
    ready = undefined; // let a later call retry (a fixed path or environment)
    throw error;
  });
  return ready;
}

async function load(): Promise<void> {
  const path = zxingWasmPath();
  let wasm: Buffer;
  try {
    wasm = await readFile(path);
  } catch (error) {
    throw new Error(`cannot read the zxing reader wasm at ${path}; set ${ZXING_WASM_ENV} to its path`, { cause: error });
  }
  const sha256 = createHash('sha256').update(wasm).digest('hex');
  if (sha256 !== ZXING_WASM_SHA256) {
    throw new Error(`${path} is not the zxing reader wasm that zxing-wasm expects (sha256 ${sha256}, expected ${ZXING_WASM_SHA256})`);
  }
  const wasmBinary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
}
