import { InvalidSeedError } from '../../errors';
import { onceAsync, readDecoderWasm } from './decoderWasm';
import { corrupt } from './pictureErrors';
import { toPgm } from './pgm';
import type { Pgm } from './types';

/** How much a JPEG is reduced while decoding: libjpeg's DCT scaling by 1/2, 1/4 or 1/8 (or not at all). */
export type JpegScale = 1 | 2 | 4 | 8;

/** The TurboJPEG functions the .wasm of `@cwasm/jpeg-turbo` exports (libjpeg-turbo 2.0, wasi-sdk). */
interface TurboJpeg {
  memory: { buffer: ArrayBuffer };
  malloc(size: number): number;
  free(pointer: number): void;
  tjInitDecompress(): number;
  tjDecompressHeader3(handle: number, jpeg: number, size: number, width: number, height: number, subsampling: number, colorspace: number): number;
  tjDecompress2(handle: number, jpeg: number, size: number, out: number, width: number, pitch: number, height: number, pixelFormat: number, flags: number): number;
  tjDestroy(handle: number): number;
}

/** The part of the WebAssembly global used here (the project's `lib` has no DOM types, which declare it). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<{ exports: unknown }>;
  Module: { exports(module: WasmModule): { name: string }[] };
}
/** A compiled module, handed back to `instantiate` as it came. */
type WasmModule = object;
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const TJPF_GRAY = 6;
const EXPORTS = ['memory', 'malloc', 'free', 'tjInitDecompress', 'tjDecompressHeader3', 'tjDecompress2', 'tjDestroy'] as const;

/** The module compiled once per process, from the local .wasm (never fetched). */
const compiled = onceAsync(async () => {
  const module = await wasm.compile(await readDecoderWasm('jpeg'));
  const names = new Set(wasm.Module.exports(module).map((e) => e.name));
  const missing = EXPORTS.filter((name) => !names.has(name));
  if (missing.length > 0) throw new Error(`the jpeg decoder wasm lacks ${missing.join(', ')}: not @cwasm/jpeg-turbo's jpeg-turbo.wasm`);
  return module;
});

/**
 * What an instance imports. libjpeg reports an error by longjmp, which this build imports: throwing
 * unwinds out of the decoder, leaving its allocations behind, so an instance that threw is dropped and the
 * next decode gets a new one. libjpeg reads its environment (JPEGMEM): it gets an empty one. TurboJPEG
 * never writes to stdio, so those calls are not expected and throw.
 */
function importsOf(self: { exports?: TurboJpeg }): object {
  const unexpected = (name: string) => () => {
    throw new Error(`the jpeg decoder called ${name}`);
  };
  return {
    env: {
      setjmp: () => 0,
      longjmp: () => {
        throw new JpegError();
      },
    },
    wasi_snapshot_preview1: {
      environ_sizes_get: (count: number, size: number) => {
        const view = new DataView((self.exports ?? unexpected('environ_sizes_get')()).memory.buffer);
        view.setUint32(count, 0, true);
        view.setUint32(size, 0, true);
        return 0;
      },
      environ_get: () => 0,
      proc_exit: unexpected('proc_exit'),
      fd_close: unexpected('fd_close'),
      fd_seek: unexpected('fd_seek'),
      fd_write: unexpected('fd_write'),
    },
  };
}

class JpegError extends Error {}

/** The instance decodes run in, one at a time (each decode is synchronous once it has the instance). */
let current: Promise<TurboJpeg> | undefined;

async function instantiate(): Promise<TurboJpeg> {
  const self: { exports?: TurboJpeg } = {};
  const module = await compiled(); // a missing .wasm is a deployment fault, not the file's
  self.exports = (await wasm.instantiate(module, importsOf(self))).exports as TurboJpeg;
  return self.exports;
}

/** The pixel size of a `width` x `height` JPEG decoded at 1/scale: libjpeg rounds up. */
export function scaledSize({ width, height }: { width: number; height: number }, scale: JpegScale): { width: number; height: number } {
  return { width: Math.ceil(width / scale), height: Math.ceil(height / scale) };
}

/**
 * Decodes a JPEG's luminance with libjpeg-turbo (WebAssembly), reduced while decoding when `scale` > 1:
 * libjpeg then runs a smaller inverse DCT on each 8x8 block (4x4 for 1/2, 1x1 for 1/8) instead of
 * decoding every pixel and averaging them afterwards, and the chroma is never decoded at all. zxing turns
 * RGBA into this same luminance, so grey loses nothing it would have read; handed over as a PGM file, it
 * also spares a 4-byte-per-pixel copy (12 MP: about as long as zxing's own search of the full size).
 *
 * The frame size libjpeg reads must be the header's (`readImageHeader`), which the limits checked: the
 * output is allocated from the header, at the scaled size, before any pixel is decoded. Pixels come as
 * stored, as zxing decodes a smaller JPEG: TurboJPEG never applies the EXIF orientation (the header's,
 * used for the reading order of several codes).
 *
 * @param bytes - the JPEG file
 * @param header - its width and height, from `readImageHeader`
 * @param scale - 1, or the reduction: 2, 4 or 8
 * @returns the grey pixels of `scaledSize(header, scale)`, as a PGM
 * @throws InvalidSeedError - libjpeg refuses the file, or reads another size than the header's
 * @example
 * const { width } = await decodeJpegLuma(photo, { width: 4000, height: 3000 }, 2); // 2000
 */
export async function decodeJpegLuma(bytes: Uint8Array, header: { width: number; height: number }, scale: JpegScale): Promise<Pgm> {
  const ready = (current ??= instantiate().catch((error: unknown) => {
    current = undefined;
    throw error;
  }));
  const tj = await ready;
  const { width, height } = scaledSize(header, scale);
  let sound = true;
  let handle = 0;
  const allocated: number[] = [];
  const alloc = (size: number): number => {
    const pointer = tj.malloc(size);
    if (pointer === 0) throw new JpegError();
    allocated.push(pointer);
    return pointer;
  };
  try {
    const file = alloc(bytes.length);
    new Uint8Array(tj.memory.buffer, file, bytes.length).set(bytes);
    handle = tj.tjInitDecompress();
    if (handle === 0) throw new JpegError();
    const info = alloc(16);
    if (tj.tjDecompressHeader3(handle, file, bytes.length, info, info + 4, info + 8, info + 12) !== 0) throw corrupt('its JPEG header cannot be decoded');
    const [fileWidth, fileHeight] = new Int32Array(tj.memory.buffer, info, 2);
    if (fileWidth !== header.width || fileHeight !== header.height) {
      throw corrupt(`its JPEG pixels are not the ${header.width}x${header.height} its header declares`);
    }
    const out = alloc(width * height);
    // Cleared: a decoder that stops early must not hand back the previous picture's pixels.
    new Uint8Array(tj.memory.buffer, out, width * height).fill(0);
    // Asked for exactly the scaled size, TurboJPEG picks exactly that scale. Errors longjmp (above); a
    // non-zero return is a warning (a truncated scan or stray bytes, filled in as libjpeg does), still decoded.
    tj.tjDecompress2(handle, file, bytes.length, out, width, width, height, TJPF_GRAY, 0);
    return toPgm(new Uint8Array(tj.memory.buffer, out, width * height), width, height);
  } catch (error) {
    if (error instanceof InvalidSeedError) throw error; // ours, thrown between calls: the instance is sound
    sound = false;
    if (current === ready) current = undefined; // thrown out of the decoder: the next picture gets a new instance
    // libjpeg's message could quote file internals; ours says what the caller needs to know.
    if (error instanceof JpegError) throw corrupt('its JPEG data cannot be decoded');
    throw error;
  } finally {
    if (sound) {
      if (handle !== 0) tj.tjDestroy(handle);
      for (const pointer of allocated) tj.free(pointer);
    }
  }
}
