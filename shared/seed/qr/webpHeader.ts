import { corrupt } from './pictureErrors';
import type { ImageHeader } from './types';

const VP8_START_CODE = [0x9d, 0x01, 0x2a];
const VP8L_SIGNATURE = 0x2f;
const VP8X_ANIMATION = 0x02;

const u16le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32le = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const fourCc = (b: Uint8Array, at: number): string => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

/** Whether the file is a RIFF container of type WEBP. */
export const isWebp = (bytes: Uint8Array): boolean => bytes.length >= 12 && fourCc(bytes, 0) === 'RIFF' && fourCc(bytes, 8) === 'WEBP';

/**
 * Reads a WebP picture's size from its first chunk, without decoding: `VP8 ` (lossy: the key frame
 * header), `VP8L` (lossless: 14-bit sizes after the signature) or `VP8X` (extended: the canvas size, which
 * bounds every frame). Animated WebP is refused: the decoder reads stills only.
 *
 * @param bytes - a file that `isWebp` accepted
 * @throws InvalidSeedError - animated, or a first chunk that is truncated or invalid
 * @example
 * readWebpHeader(webp); // { format: 'webp', width: 1080, height: 2400, orientation: 1 }
 */
export function readWebpHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 30) throw corrupt('its WebP header is truncated');
  const chunk = fourCc(bytes, 12);
  const size = u32le(bytes, 16);
  const data = 20;
  if (data + size > bytes.length) throw corrupt('its WebP data is truncated');
  let width: number;
  let height: number;
  if (chunk === 'VP8 ') {
    if (size < 10 || VP8_START_CODE.some((b, i) => bytes[data + 3 + i] !== b)) throw corrupt('its WebP (VP8) frame header is invalid');
    width = u16le(bytes, data + 6) & 0x3fff;
    height = u16le(bytes, data + 8) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (size < 5 || bytes[data] !== VP8L_SIGNATURE) throw corrupt('its WebP (VP8L) header is invalid');
    const bits = u32le(bytes, data + 1);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    if (size < 10) throw corrupt('its WebP (VP8X) header is truncated');
    if (bytes[data] & VP8X_ANIMATION) throw corrupt('it is an animated WebP; send a still picture');
    width = u24le(bytes, data + 4) + 1;
    height = u24le(bytes, data + 7) + 1;
  } else {
    throw corrupt('its first WebP chunk is neither VP8, VP8L nor VP8X');
  }
  if (width === 0 || height === 0) throw corrupt('its WebP dimensions are invalid');
  return { format: 'webp', width, height, orientation: 1 };
}
