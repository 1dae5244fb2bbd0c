import { createInflate } from 'node:zlib';
import { corrupt } from './pictureErrors';

/** Channels per PNG colour type, with the bit depths the type allows. */
const COLOR_TYPES: Record<number, { channels: number; depths: readonly number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};
/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

const u32 = (bytes: Uint8Array, at: number): number => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;

/** Bytes the IDAT stream inflates to: each row (of each Adam7 pass) is a filter byte and its packed pixels. */
export function pngRawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number): number => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  return ADAM7.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/**
 * Checks that a PNG's compressed image data inflates to no more than its header says. A zlib stream
 * inflates up to about 1000:1, so a 2 MB file declaring 1000x1000 pixels can hold 2 GB of zeros: zxing's
 * decoder (stb_image) and pngjs's interlaced path both inflate it all (measured: 2.1 GB and 4.4 GB RSS).
 * Here the stream is inflated once, counting and discarding the output, and stopped at the first byte
 * too many. Also refuses truncated chunks and streams.
 *
 * @param bytes - a PNG whose header `readImageHeader` accepted
 * @throws InvalidSeedError - truncated, invalid, or inflating past its declared size
 * @example
 * await checkPngData(png); // resolves, or throws before any decoder sees the file
 */
export async function checkPngData(bytes: Uint8Array): Promise<void> {
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  const [bitDepth, colorType, , , interlace] = bytes.subarray(24, 29);
  const type = COLOR_TYPES[colorType];
  if (!type || !type.depths.includes(bitDepth) || interlace > 1) throw corrupt('its PNG colour type or bit depth is invalid');
  const expected = pngRawSize(width, height, type.channels * bitDepth, interlace === 1);

  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length; ) {
    if (at + 12 > bytes.length) throw corrupt('its PNG data is truncated');
    const length = u32(bytes, at);
    const kind = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw corrupt('its PNG data is truncated');
    if (kind === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (kind === 'IEND') break;
    at += 12 + length;
  }
  if (idat.length === 0) throw corrupt('its PNG image data is missing');
  if (!(await inflatesWithin(idat, expected))) throw corrupt('its PNG data inflates to more than its dimensions allow');
}

/** Inflates `parts` as one zlib stream, counting the output; false as soon as it exceeds `limit`. */
function inflatesWithin(parts: readonly Uint8Array[], limit: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const inflate = createInflate({ chunkSize: 64 * 1024 });
    let total = 0;
    let settled = false;
    const settle = (act: () => void): void => {
      if (settled) return;
      settled = true;
      act();
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        settle(() => resolve(false));
        inflate.destroy();
      }
    });
    inflate.on('end', () => settle(() => resolve(true)));
    inflate.on('error', () => settle(() => reject(corrupt('its PNG image data cannot be inflated'))));
    for (const part of parts) inflate.write(part);
    inflate.end();
  });
}
