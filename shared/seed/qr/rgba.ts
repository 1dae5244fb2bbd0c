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
