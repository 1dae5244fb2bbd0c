import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DECODER_LIMITS } from './limits';
import { corrupt } from './pictureErrors';
import type { ImageHeader, Rgba } from './types';

/**
 * Decodes a picture to 8-bit RGBA in JavaScript, for the passes that need pixels (zxing reads the file
 * itself). Only called within `DECODER_LIMITS.maxFallbackPixels`, on a header and (PNG) data already
 * checked; jpeg-js is capped on its own as well, so a lying file cannot make it allocate more.
 *
 * @param bytes - the PNG/JPEG file
 * @param header - its header, from `readImageHeader`
 * @throws InvalidSeedError - when the decoder rejects the file
 * @example
 * const { data, width, height } = decodeRgba(png, readImageHeader(png));
 */
export function decodeRgba(bytes: Uint8Array, header: ImageHeader): Rgba {
  try {
    const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const image =
      header.format === 'png'
        ? PNG.sync.read(file)
        : decodeJpeg(file, {
            useTArray: true,
            formatAsRGBA: true,
            // Strict: stb_image (zxing) already tolerates truncated or damaged scans; what it refuses is broken.
            tolerantDecoding: false,
            maxResolutionInMP: DECODER_LIMITS.maxFallbackPixels / 1e6,
            maxMemoryUsageInMB: DECODER_LIMITS.maxJpegJsMemoryMb,
          });
    return { data: new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), width: image.width, height: image.height };
  } catch {
    // The decoder's message can quote file internals; ours says what the caller needs to know.
    throw corrupt(`its ${header.format === 'png' ? 'PNG' : 'JPEG'} data cannot be decoded`);
  }
}

/**
 * Composites transparent pixels over white, in place, as a viewer shows them. Decoders turn RGBA to grey
 * ignoring alpha, so a QR code saved as black modules on a transparent background reads as all black.
 *
 * @param image - RGBA pixels, changed in place
 * @returns whether any pixel was transparent
 * @example
 * if (flattenOverWhite(rgba)) await readWithZxing(rgba, ZXING_DEFAULT);
 */
export function flattenOverWhite(image: Rgba): boolean {
  const { data } = image;
  let transparent = false;
  for (let i = 3; i < data.length; i += 4) {
    const alpha = data[i];
    if (alpha === 255) continue;
    transparent = true;
    const white = 255 - alpha;
    data[i - 3] = (data[i - 3] * alpha) / 255 + white;
    data[i - 2] = (data[i - 2] * alpha) / 255 + white;
    data[i - 1] = (data[i - 1] * alpha) / 255 + white;
    data[i] = 255;
  }
  return transparent;
}

/**
 * Averages a picture down by the smallest whole factor that brings it within `maxPixels` (box filter:
 * it also smooths noise and print texture). Returns the picture itself when it already fits.
 *
 * @param image - RGBA pixels, opaque (flattened)
 * @param maxPixels - the most pixels the result may have
 * @returns the pixels and the factor applied (1, 2, 3...), to map positions back
 * @example
 * downscaleRgba({ data, width: 1600, height: 1200 }, 500_000); // factor 3: 533x400
 */
export function downscaleRgba(image: Rgba, maxPixels: number): { image: Rgba; factor: number } {
  const factor = Math.ceil(Math.sqrt((image.width * image.height) / maxPixels));
  if (factor <= 1) return { image, factor: 1 };
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const from = image.data;
  if (factor === 2) return { image: halve(image, width, height), factor };
  const data = new Uint8ClampedArray(width * height * 4);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < factor; dy++) {
        let i = ((y * factor + dy) * image.width + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++, i += 4) {
          r += from[i];
          g += from[i + 1];
          b += from[i + 2];
        }
      }
      const o = (y * width + x) * 4;
      data[o] = r / area;
      data[o + 1] = g / area;
      data[o + 2] = b / area;
      data[o + 3] = 255;
    }
  }
  return { image: { data, width, height }, factor };
}

/** `downscaleRgba` by 2, the common case for phone photos, in one pass over row pairs (3x faster here). */
function halve(image: Rgba, width: number, height: number): Rgba {
  const from = image.data;
  const stride = image.width * 4;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    let a = 2 * y * stride;
    let b = a + stride;
    let o = y * width * 4;
    for (let x = 0; x < width; x++, a += 8, b += 8, o += 4) {
      data[o] = (from[a] + from[a + 4] + from[b] + from[b + 4] + 2) >> 2;
      data[o + 1] = (from[a + 1] + from[a + 5] + from[b + 1] + from[b + 5] + 2) >> 2;
      data[o + 2] = (from[a + 2] + from[a + 6] + from[b + 2] + from[b + 6] + 2) >> 2;
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}
