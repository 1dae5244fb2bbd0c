import type { ReaderOptions } from 'zxing-wasm/reader';
import { readWithJsqr } from './jsqrPass';
import type { Picture } from './Picture';
import type { FoundQr } from './types';
import { readWithZxing, ZXING_DEFAULT, ZXING_GLOBAL } from './zxingPass';

export type QrPassName = 'zxing' | 'zxingGlobal' | 'flattened' | 'jsqr';

/** One way of looking for QR codes; the passes run in order until one finds something. */
export interface QrPass {
  name: QrPassName;
  run(picture: Picture): Promise<FoundQr[]>;
}

async function zxingOnFile(picture: Picture, options: ReaderOptions): Promise<FoundQr[]> {
  if (picture.zxingLoaded === false) return []; // it could not decode the file the first time either
  const { found, loaded } = await readWithZxing(picture.bytes, options);
  picture.zxingLoaded = loaded;
  return found;
}

/**
 * Cheapest and strongest first; the later ones run only on pictures where the earlier found nothing.
 * Corpus cases read in this order (bench/qrDecode.ts): zxing 135, zxingGlobal +4 (qrcode-2/12, 13, 28,
 * qrcode-4/09), flattened +0 (the corpus's transparent pictures have white under the alpha), jsqr +0
 * (alone it reads 110, qrcode-2/28 among them, which zxingGlobal reads first).
 */
export const QR_PASSES: readonly QrPass[] = [
  { name: 'zxing', run: (picture) => zxingOnFile(picture, ZXING_DEFAULT) },
  { name: 'zxingGlobal', run: (picture) => zxingOnFile(picture, ZXING_GLOBAL) },
  {
    // Transparent background: zxing read the file with alpha ignored, so it saw black on black.
    name: 'flattened',
    run: async (picture) => {
      const pixels = picture.rgba();
      return pixels?.transparent ? (await readWithZxing(pixels.image, ZXING_DEFAULT)).found : [];
    },
  },
  {
    name: 'jsqr',
    run: async (picture) => {
      const pixels = picture.rgba();
      return pixels ? readWithJsqr(pixels.image) : [];
    },
  },
];
