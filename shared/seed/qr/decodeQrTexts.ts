import { vaultMetrics } from '../../observability/metrics';
import { checkPngData } from './pngData';
import { Picture } from './Picture';
import { corrupt } from './pictureErrors';
import { QR_PASSES, type QrPass, type QrPassName } from './passes';
import { readImageHeader } from './imageHeader';
import { inReadingOrder } from './readingOrder';
import { joinStructuredAppend } from './structuredAppend';
import { FORMAT_NAMES } from './types';

/** The texts found in a picture, and the pass that found them. */
export interface QrScan {
  texts: string[];
  pass: QrPassName | undefined;
}

/**
 * `decodeQrTexts`, saying which pass found the codes (for the bench). Limits and structure are checked
 * before any decoder sees the file.
 *
 * @param image - a PNG, JPEG, HEIC, AVIF or WebP file
 * @param passes - the passes to run, in order (all of them by default)
 * @example
 * const { texts, pass } = await scanQrImage(png); // pass: 'zxing'
 */
export async function scanQrImage(image: Uint8Array, passes: readonly QrPass[] = QR_PASSES): Promise<QrScan> {
  const header = readImageHeader(image);
  if (header.format === 'png') await checkPngData(image);
  const picture = new Picture(image, header);
  for (const pass of passes) {
    const found = await pass.run(picture);
    if (found.length === 0) continue;
    const texts = joinStructuredAppend(inReadingOrder(found, header)).map((f) => f.text);
    return { texts: [...new Set(texts)], pass: pass.name };
  }
  if (!picture.decoded) throw picture.decodeError ?? corrupt(`its ${FORMAT_NAMES[header.format]} data cannot be decoded`);
  return { texts: [], pass: undefined };
}

/**
 * Finds the QR codes in a picture and returns their texts: distinct, in reading order (rows top to
 * bottom, left to right, as displayed after EXIF orientation). A complete structured-append sequence
 * counts as one text; one part of a sequence is returned as its own partial text. Texts can be seeds:
 * they never go into errors or logs.
 *
 * Passes, in order until one finds something: zxing-wasm on the file; zxing-wasm with a global
 * threshold; then, for pictures up to 2.1 MP, zxing-wasm on the pixels flattened over white (transparent
 * pictures only) and jsQR on a copy of at most 0.5 MP. HEIC, AVIF, WebP and JPEGs over 4 MP are decoded
 * to pixels once (WebAssembly decoders, see `Picture`), and a reduced copy of a large one is searched first.
 *
 * @param image - a PNG, JPEG, HEIC, AVIF or WebP file, at most `QR_LIMITS.maxImageBytes` bytes and `QR_LIMITS.maxPixels` pixels
 * @returns the texts, or [] when the picture holds no readable QR code
 * @throws TooLargeError - over a limit, checked on the file and its header before any pixel is decoded
 * @throws InvalidSeedError - none of those formats, or corrupt
 * @example
 * const texts = await decodeQrTexts(new Uint8Array(await readFile('screenshot.png')));
 * // ['otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME']
 */
export async function decodeQrTexts(image: Uint8Array): Promise<string[]> {
  const started = performance.now();
  try {
    const { texts } = await scanQrImage(image);
    vaultMetrics.pictureDecoded(performance.now() - started, texts.length > 0 ? 'code' : 'none');
    return texts;
  } catch (error) {
    vaultMetrics.pictureDecoded(performance.now() - started, 'refused');
    throw error;
  }
}
