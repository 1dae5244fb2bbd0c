import { readBarcodes, type ReaderOptions, type ReadResult } from 'zxing-wasm/reader';
import { isPgm } from './pgm';
import type { FoundQr, Pixmap } from './types';
import { zxingReady } from './zxingModule';

/** QR codes only (Model 1 and 2); text as the symbol's bytes transcoded by ECI or guessed charset. */
const QR_ONLY: ReaderOptions = { formats: ['QRCode'], textMode: 'Plain' };

/**
 * zxing's defaults (tryHarder, tryRotate, tryInvert, tryDownscale, local-average binarizer): read 135 of
 * the 146 corpus cases.
 */
export const ZXING_DEFAULT: ReaderOptions = QR_ONLY;

/**
 * One threshold for the whole picture, and downscaled copies from 200 px (not 500) by halves. The local
 * binarizer breaks up modules printed over a photo or texture (corpus qrcode-2/12, 13, 28) and a blurred
 * low-contrast shot (qrcode-4/09); averaging down smooths the texture and a global threshold keeps the
 * modules whole. Wins those 4 cases, about 10 ms each.
 */
export const ZXING_GLOBAL: ReaderOptions = { ...QR_ONLY, binarizer: 'GlobalHistogram', downscaleThreshold: 200, downscaleFactor: 2 };

/**
 * The full-size search of a picture already searched on a reduced copy (see `QR_PASSES`): the code it
 * looks for is too small for any downscaled copy, and an inverted one would have shown on the copy.
 */
export const ZXING_SMALL_CODES: ReaderOptions = { ...QR_ONLY, tryDownscale: false, tryInvert: false };

/** What zxing made of one input: the symbols, and whether it could decode the file at all. */
export interface ZxingRead {
  found: FoundQr[];
  loaded: boolean;
}

/**
 * Reads QR codes with zxing-wasm. Given the file bytes, zxing decodes the PNG/JPEG itself (stb_image, in
 * wasm), which beats decoding in JavaScript and passing ImageData: corpus median 2.9 ms against 7.4 ms
 * per picture, and 0.35 s in all for a 12 MP JPEG that jpeg-js alone takes 2.4 s to decode.
 *
 * @param input - the PNG/JPEG file (checked by `readImageHeader` and, for PNG, `checkPngData`), or decoded pixels
 * @param options - `ZXING_DEFAULT` or `ZXING_GLOBAL`
 * @example
 * const { found } = await readWithZxing(png, ZXING_DEFAULT);
 */
export async function readWithZxing(input: Uint8Array | Pixmap, options: ReaderOptions): Promise<ZxingRead> {
  await zxingReady();
  const results = await readBarcodes(input instanceof Uint8Array || !isPgm(input) ? input : input.pgm, options);
  // Without returnErrors, the only invalid result is the one saying stb_image could not decode the file.
  const loaded = results.every((r) => r.isValid);
  return { found: results.filter((r) => r.isValid && r.format === 'QRCode').map(toFound), loaded };
}

function toFound(result: ReadResult): FoundQr {
  const { topLeft, topRight, bottomRight, bottomLeft } = result.position;
  const found: FoundQr = { text: result.text, corners: [topLeft, topRight, bottomRight, bottomLeft] };
  if (result.sequenceSize > 1) found.sequence = { id: result.sequenceId, index: result.sequenceIndex, size: result.sequenceSize };
  return found;
}
