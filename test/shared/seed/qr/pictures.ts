import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';

/** An RGBA canvas to draw test pictures on. */
export interface Canvas {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Makes any network fetch throw, so a test proves the zxing wasm loads from disk (zxing-wasm's default
 * is a CDN). Returns the mock, to assert it was never called.
 */
export function forbidFetch() {
  return jest.spyOn(globalThis, 'fetch').mockImplementation(() => {
    throw new Error('tests must not use the network');
  });
}

let writerReady: Promise<unknown> | undefined;

/** The QR module matrix of `text` (true = dark), from zxing-wasm's writer loaded from node_modules. */
export async function qrModules(text: string): Promise<boolean[][]> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
  writerReady ??= prepareZXingModule({ overrides: { wasmBinary: Uint8Array.from(wasm).buffer }, fireImmediately: true });
  await writerReady;
  const { symbol, error } = await writeBarcode(text, { format: 'QRCode', ecLevel: 'M' });
  if (error) throw new Error(error);
  return Array.from({ length: symbol.height }, (_, y) => Array.from({ length: symbol.width }, (_, x) => symbol.data[y * symbol.width + x] < 128));
}

/** A canvas filled with one RGBA colour (opaque white by default). */
export function canvas(width: number, height: number, rgba: readonly [number, number, number, number] = [255, 255, 255, 255]): Canvas {
  // Buffer.alloc repeats the fill pattern natively: a loop here took a second for 4 MP in jest's vm context.
  return { data: Buffer.alloc(width * height * 4, Uint8Array.from(rgba)), width, height };
}

/** Draws a QR code's dark modules, `scale` pixels each, with its top-left module at (x, y). */
export async function drawQr(on: Canvas, text: string, x: number, y: number, scale = 4, dark: readonly number[] = [0, 0, 0, 255]): Promise<void> {
  const modules = await qrModules(text);
  modules.forEach((row, my) =>
    row.forEach((isDark, mx) => {
      if (!isDark) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) on.data.set(dark, ((y + my * scale + dy) * on.width + x + mx * scale + dx) * 4);
      }
    }),
  );
}

/** Copies a corpus PNG onto the canvas at (x, y). */
export function pastePng(on: Canvas, file: string, x: number, y: number): void {
  const picture = PNG.sync.read(readFileSync(file));
  for (let row = 0; row < picture.height; row++) {
    on.data.set(picture.data.subarray(row * picture.width * 4, (row + 1) * picture.width * 4), ((y + row) * on.width + x) * 4);
  }
}

// Encoding lives apart, free of jest, so the QR bench can use it too.
export { toJpeg, toPng } from './encodePictures';

/** Inserts an Exif APP1 segment (one IFD0 entry: Orientation) right after the JPEG's SOI. */
export function withExifOrientation(jpeg: Uint8Array, orientation: number, byteOrder: 'II' | 'MM' = 'II'): Uint8Array {
  const little = byteOrder === 'II';
  const tiff = Buffer.alloc(26);
  tiff.write(byteOrder, 0, 'latin1');
  const u16 = (value: number, at: number) => (little ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at));
  const u32 = (value: number, at: number) => (little ? tiff.writeUInt32LE(value, at) : tiff.writeUInt32BE(value, at));
  u16(42, 2);
  u32(8, 4); // IFD0 right after the TIFF header
  u16(1, 8); // one entry
  u16(0x0112, 10); // Orientation
  u16(3, 12); // SHORT
  u32(1, 14); // count
  u16(orientation, 18); // value, left-justified in the 4-byte field
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 2 + 6 + tiff.length]), Buffer.from('Exif\0\0', 'latin1'), tiff]);
  return new Uint8Array(Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]));
}

/** A PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const frame = Buffer.alloc(body.length + 8);
  frame.writeUInt32BE(data.length, 0);
  body.copy(frame, 4);
  frame.writeUInt32BE(crc32(body), body.length + 4);
  return frame;
}

/** A PNG with the given IHDR fields and raw (uncompressed, filtered) image data. */
export function pngWith(width: number, height: number, raw: Uint8Array, { colorType = 0, bitDepth = 8, interlace = 0 } = {}): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colorType, 0, 0, interlace], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(raw)),
      pngChunk('IEND', new Uint8Array(0)),
    ]),
  );
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
