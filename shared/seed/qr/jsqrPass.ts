import jsQR, { type QRCode } from 'jsqr';
import { DECODER_LIMITS } from './limits';
import { downscaleRgba } from './rgba';
import type { FoundQr, Point, Rgba } from './types';

type Chunk = QRCode['chunks'][number];

/**
 * Reads one QR code with jsQR, a decoder independent of zxing (its own locator and binarizer), for the
 * pictures zxing gives up on. It reads 109 of the 146 corpus cases alone, qrcode-2/28 among them (which
 * zxing's global pass reads first). It reads a copy of at most `maxJsqrPixels`: see there why.
 *
 * @param image - RGBA pixels, flattened over white
 * @returns at most one code, and only when its text can be trusted (see `trustedText`)
 * @example
 * const found = readWithJsqr(rgba);
 */
export function readWithJsqr(image: Rgba): FoundQr[] {
  const { image: small, factor } = downscaleRgba(image, DECODER_LIMITS.maxJsqrPixels);
  const code = jsQR(small.data, small.width, small.height, { inversionAttempts: 'attemptBoth' });
  const text = code ? trustedText(code.chunks) : undefined;
  if (!code || text === undefined) return [];
  const { topLeftCorner, topRightCorner, bottomRightCorner, bottomLeftCorner } = code.location;
  const back = (p: Point): Point => ({ x: p.x * factor, y: p.y * factor });
  return [{ text, corners: [back(topLeftCorner), back(topRightCorner), back(bottomRightCorner), back(bottomLeftCorner)] }];
}

/**
 * Rebuilds the text from jsQR's segments, refusing what jsQR gets wrong rather than returning a wrong
 * seed: it reads byte segments as UTF-8 only (its `data` is "" or partial for Shift-JIS: 10 corpus
 * misreads) and ignores the charset an ECI names. Byte segments must be valid UTF-8 and Kanji ones
 * valid Shift-JIS; any ECI makes the code unreadable here (zxing reads those).
 *
 * Known gap: jsQR skips a structured-append header without saying so, and may then read its bytes as
 * data; that cannot be seen from its output. zxing reads structured-append symbols first.
 */
export function trustedText(chunks: readonly Chunk[]): string | undefined {
  let text = '';
  for (const chunk of chunks) {
    if ('assignmentNumber' in chunk) return undefined;
    if ('bytes' in chunk) {
      const mode: string = chunk.type;
      const decoded = decodeStrictly(chunk.bytes, mode === 'kanji' ? 'shift_jis' : 'utf-8');
      if (decoded === undefined) return undefined;
      text += decoded;
    } else {
      text += chunk.text;
    }
  }
  return text === '' ? undefined : text;
}

function decodeStrictly(bytes: readonly number[], encoding: string): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined; // invalid bytes, or an ICU without the encoding
  }
}
