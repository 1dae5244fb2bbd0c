import { InvalidInputError, InvalidSeedError, TooLargeError } from '../errors';

/** What seed intake needs from `shared/seed/qr` (built separately; loaded only for pictures). */
export interface QrReader {
  decodeQrTexts(image: Uint8Array): Promise<string[]>;
  QR_LIMITS: { readonly maxImageBytes: number };
}

const DATA_URL_PREFIX = /^data:[^,]{0,100};base64,/i;

/**
 * Decodes the base64 of a picture. A `data:image/png;base64,` prefix, line breaks and the URL-safe
 * alphabet are accepted. The size is checked on the text before any decoding (413 when too large).
 *
 * @param text - base64 as sent
 * @param maxImageBytes - the largest picture accepted, in bytes
 * @example
 * imageFromBase64('iVBORw0KGgo=', 1_000_000); // the first bytes of a PNG
 */
export function imageFromBase64(text: string, maxImageBytes: number): Uint8Array {
  const tooLarge = (): TooLargeError =>
    new TooLargeError(`the picture is larger than ${maxImageBytes} bytes`, { field: 'qrImage', maxBytes: maxImageBytes });
  // Cheap bound on the raw text first (base64 is 4/3 of the bytes; leave room for a prefix and line breaks).
  if (text.length > Math.ceil((maxImageBytes * 4) / 3) * 1.1 + 1024) throw tooLarge();
  const base64 = text.replace(DATA_URL_PREFIX, '').replace(/\s+/g, '').replace(/=+$/, '');
  if (Math.floor((base64.length * 3) / 4) > maxImageBytes) throw tooLarge();
  if (base64.length === 0 || !/^[A-Za-z0-9+/_-]*$/.test(base64) || base64.length % 4 === 1) {
    throw new InvalidInputError('qrImage must be the base64 of a PNG, JPEG, HEIC, WebP or AVIF picture', { field: 'qrImage' });
  }
  return new Uint8Array(Buffer.from(base64.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

const SEED_URI = /^\s*otpauth(-migration)?:\/\//i;

/**
 * Keeps the QR texts that hold a seed URI, once each (a code found twice in one picture counts once).
 * Other QR codes in the picture (a link to the service's help page, say) are ignored. Texts are never
 * quoted in errors.
 *
 * @param texts - every QR text found in the picture
 * @example
 * seedUrisFromQrTexts(['https://example.com', 'otpauth://totp/a?secret=...']); // ['otpauth://totp/a?secret=...']
 */
export function seedUrisFromQrTexts(texts: readonly string[]): string[] {
  if (texts.length === 0) throw new InvalidSeedError('no QR code found in the picture', { field: 'qrImage' });
  const uris = [...new Set(texts.filter((t) => SEED_URI.test(t)).map((t) => t.trim()))];
  if (uris.length === 0) {
    const which = texts.length === 1 ? 'the QR code does not' : `none of the ${texts.length} QR codes in the picture`;
    throw new InvalidSeedError(`${which} contain${texts.length === 1 ? '' : 's'} an otpauth:// URI`, { field: 'qrImage' });
  }
  return uris;
}
