import type { ReaderOptions } from 'zxing-wasm/reader';
import { readWithJsqr } from './jsqrPass';
import { DECODER_LIMITS } from './limits';
import type { Picture } from './Picture';
import { downscaleRgba } from './rgba';
import type { FoundQr, Point } from './types';
import { readWithZxing, ZXING_DEFAULT, ZXING_GLOBAL } from './zxingPass';

export type QrPassName = 'zxingReduced' | 'zxing' | 'zxingGlobal' | 'flattened' | 'jsqr';

/** One way of looking for QR codes; the passes run in order until one finds something. */
export interface QrPass {
  name: QrPassName;
  run(picture: Picture): Promise<FoundQr[]>;
}

/** zxing on the file (PNG, JPEG) or, for a picture on the pixel path, on its decoded pixels. */
async function zxingOnPicture(picture: Picture, options: ReaderOptions): Promise<FoundQr[]> {
  if (picture.pixelPath) {
    const pixels = await picture.rgba();
    return pixels ? (await readWithZxing(pixels.image, options)).found : [];
  }
  if (picture.zxingLoaded === false) return []; // it could not decode the file the first time either
  const { found, loaded } = await readWithZxing(picture.bytes, options);
  picture.zxingLoaded = loaded;
  return found;
}

/**
 * Cheapest and strongest first; the later ones run only on pictures where the earlier found nothing.
 * Corpus cases read in this order (bench/qrDecode.ts): zxing 135, zxingGlobal +4 (qrcode-2/12, 13, 28,
 * qrcode-4/09), flattened +0 (the corpus's transparent pictures have white under the alpha), jsqr +0
 * (alone it reads 110, qrcode-2/28 among them, which zxingGlobal reads first). zxingReduced runs on
 * large decoded pictures only (phone photos), none of which is in the corpus.
 */
export const QR_PASSES: readonly QrPass[] = [
  {
    // A photo's code is rarely small: a copy of at most `maxReducedPixels` finds it in a fifth of the time.
    name: 'zxingReduced',
    run: async (picture) => {
      const { width, height } = picture.header;
      if (!picture.pixelPath || width * height <= DECODER_LIMITS.maxReducedPixels) return [];
      const pixels = await picture.rgba();
      if (!pixels) return [];
      const { image, factor } = downscaleRgba(pixels.image, DECODER_LIMITS.maxReducedPixels);
      const { found } = await readWithZxing(image, ZXING_DEFAULT);
      const back = ({ x, y }: Point): Point => ({ x: x * factor, y: y * factor });
      return found.map((f) => ({ ...f, corners: [back(f.corners[0]), back(f.corners[1]), back(f.corners[2]), back(f.corners[3])] }));
    },
  },
  { name: 'zxing', run: (picture) => zxingOnPicture(picture, ZXING_DEFAULT) },
  { name: 'zxingGlobal', run: (picture) => zxingOnPicture(picture, ZXING_GLOBAL) },
  {
    // Transparent background: zxing read the file with alpha ignored, so it saw black on black.
    // (Pictures on the pixel path were flattened before zxing saw them.)
    name: 'flattened',
    run: async (picture) => {
      if (picture.pixelPath) return [];
      const pixels = await picture.rgba();
      return pixels?.transparent ? (await readWithZxing(pixels.image, ZXING_DEFAULT)).found : [];
    },
  },
  {
    name: 'jsqr',
    run: async (picture) => {
      const { width, height } = picture.header;
      if (width * height > DECODER_LIMITS.maxFallbackPixels) return []; // see maxJsqrPixels: noise makes it slow
      const pixels = await picture.rgba();
      return pixels ? readWithJsqr(pixels.image) : [];
    },
  },
];
