import type { ReaderOptions } from 'zxing-wasm/reader';
import { readWithJsqr } from './jsqrPass';
import { DECODER_LIMITS } from './limits';
import { isPgm } from './pgm';
import type { Picture } from './Picture';
import type { FoundQr, Point } from './types';
import { readWithZxing, ZXING_DEFAULT, ZXING_GLOBAL, ZXING_SMALL_CODES } from './zxingPass';

export type QrPassName = 'zxingReduced' | 'zxingReducedGlobal' | 'zxing' | 'zxingGlobal' | 'flattened' | 'jsqr';

/** One way of looking for QR codes; the passes run in order until one finds something. */
export interface QrPass {
  name: QrPassName;
  run(picture: Picture): Promise<FoundQr[]>;
}

/** zxing on the file (PNG, JPEG) or, for a picture on the pixel path, on its decoded pixels. */
async function zxingOnPicture(picture: Picture, options: ReaderOptions): Promise<FoundQr[]> {
  if (picture.pixelPath) {
    const pixels = await picture.pixels();
    return pixels ? (await readWithZxing(pixels.image, options)).found : [];
  }
  if (picture.zxingLoaded === false) return []; // it could not decode the file the first time either
  const { found, loaded } = await readWithZxing(picture.bytes, options);
  picture.zxingLoaded = loaded;
  return found;
}

/** zxing on the reduced copy of a large picture, positions mapped back to full-size pixels. */
async function zxingOnReduced(picture: Picture, options: ReaderOptions): Promise<FoundQr[]> {
  const reduced = await picture.reduced();
  if (!reduced) return [];
  const { found } = await readWithZxing(reduced.image, options);
  const back = ({ x, y }: Point): Point => ({ x: x * reduced.factor, y: y * reduced.factor });
  return found.map((f) => ({ ...f, corners: [back(f.corners[0]), back(f.corners[1]), back(f.corners[2]), back(f.corners[3])] }));
}

/**
 * Cheapest and strongest first; the later ones run only on pictures where the earlier found nothing.
 * Corpus cases read in this order (bench/qrDecode.ts): zxing 135, zxingGlobal +4 (qrcode-2/12, 13, 28,
 * qrcode-4/09), flattened +0 (the corpus's transparent pictures have white under the alpha), jsqr +0
 * (alone it reads 110, qrcode-2/28 among them, which zxingGlobal reads first).
 *
 * Large decoded pictures (phone photos, none of which is in the corpus) are searched on a reduced copy
 * with both binarizers first (a 12 MP JPEG decoded at 1/2: 3 MP). A code the copy cannot hold is one
 * whose modules are under about 2 px there: the full-size search that follows looks for that one only,
 * without zxing's downscaled and inverted retries, which the copy has had (under half the time of
 * zxing's defaults on 12 MP of noise, where nothing is found).
 */
export const QR_PASSES: readonly QrPass[] = [
  { name: 'zxingReduced', run: (picture) => zxingOnReduced(picture, ZXING_DEFAULT) },
  { name: 'zxingReducedGlobal', run: (picture) => zxingOnReduced(picture, ZXING_GLOBAL) },
  { name: 'zxing', run: (picture) => zxingOnPicture(picture, picture.searchedReduced ? ZXING_SMALL_CODES : ZXING_DEFAULT) },
  { name: 'zxingGlobal', run: async (picture) => (picture.searchedReduced ? [] : zxingOnPicture(picture, ZXING_GLOBAL)) },
  {
    // Transparent background: zxing read the file with alpha ignored, so it saw black on black.
    // (Pictures on the pixel path were flattened before zxing saw them.)
    name: 'flattened',
    run: async (picture) => {
      if (picture.pixelPath) return [];
      const pixels = await picture.pixels();
      return pixels?.transparent ? (await readWithZxing(pixels.image, ZXING_DEFAULT)).found : [];
    },
  },
  {
    name: 'jsqr',
    run: async (picture) => {
      const { width, height } = picture.header;
      if (width * height > DECODER_LIMITS.maxFallbackPixels) return []; // see maxJsqrPixels: noise makes it slow
      const pixels = await picture.pixels();
      return pixels && !isPgm(pixels.image) ? readWithJsqr(pixels.image) : [];
    },
  },
];
