import { TooLargeError } from '../../errors';
import { exifOrientation } from './exifOrientation';
import { isIsobmff, readHeifHeader } from './heifHeader';
import { DECODER_LIMITS, QR_LIMITS } from './limits';
import { corrupt, notAnImage } from './pictureErrors';
import type { ImageHeader } from './types';
import { isWebp, readWebpHeader } from './webpHeader';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SOI = [0xff, 0xd8, 0xff];
const EXIF_ID = 'Exif\0\0';

/** A marker with no length after it: TEM, RST0-7, SOI. */
const isStandalone = (marker: number): boolean => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
/** SOF0-15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isStartOfFrame = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
const u16 = (bytes: Uint8Array, at: number): number => (bytes[at] << 8) | bytes[at + 1];
const u32 = (bytes: Uint8Array, at: number): number => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;

/**
 * Reads the format, dimensions and orientation of a PNG, JPEG, HEIC, AVIF or WebP from its header, and enforces
 * `QR_LIMITS` on them, so that a picture declaring too many pixels is refused before anything is allocated.
 *
 * @param bytes - the picture file
 * @throws TooLargeError - over `maxImageBytes`, over `maxPixels`, or a JPEG with more scans than a decoder should walk
 * @throws InvalidSeedError - none of those formats, or a header that is truncated or invalid
 * @example
 * readImageHeader(png); // { format: 'png', width: 640, height: 480, orientation: 1 }
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length > QR_LIMITS.maxImageBytes) {
    throw new TooLargeError(`the picture is larger than ${QR_LIMITS.maxImageBytes} bytes`, { field: 'qrImage', maxBytes: QR_LIMITS.maxImageBytes });
  }
  let header: ImageHeader;
  if (startsWith(bytes, PNG_SIGNATURE)) header = readPngHeader(bytes);
  else if (startsWith(bytes, JPEG_SOI)) header = readJpegHeader(bytes);
  else if (isIsobmff(bytes)) header = readHeifHeader(bytes);
  else if (isWebp(bytes)) header = readWebpHeader(bytes);
  else throw notAnImage();
  const { width, height } = header;
  if (width * height > QR_LIMITS.maxPixels) {
    throw new TooLargeError(`the picture is ${width}x${height} pixels, more than the ${QR_LIMITS.maxPixels} allowed`, {
      field: 'qrImage',
      maxPixels: QR_LIMITS.maxPixels,
      width,
      height,
    });
  }
  return header;
}

/** IHDR must be the first chunk: length 13, then width and height as 32-bit big-endian. */
function readPngHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 8 + 8 + 13 + 4) throw corrupt('its PNG header is truncated');
  if (u32(bytes, 8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw corrupt('its PNG header is missing');
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw corrupt('its PNG dimensions are invalid');
  return { format: 'png', width, height, orientation: 1 };
}

/**
 * Walks the JPEG markers to the end: the first frame header (SOFn) gives the dimensions, an Exif APP1
 * before it the orientation, and each SOS a scan, whose entropy-coded data is skipped up to the next marker.
 */
function readJpegHeader(bytes: Uint8Array): ImageHeader {
  let frame: { width: number; height: number } | undefined;
  let orientation = 1;
  let scans = 0;
  let at = 2;
  while (at < bytes.length) {
    // Like libjpeg and stb_image, skip stray bytes between segments (some encoders pad) and fill bytes.
    at = bytes.indexOf(0xff, at);
    if (at < 0) break;
    while (bytes[at] === 0xff) at++;
    if (at >= bytes.length) break;
    const marker = bytes[at++];
    if (marker === 0xd9) break; // EOI
    if (isStandalone(marker)) continue;
    if (at + 2 > bytes.length) throw corrupt('a JPEG segment is truncated');
    const length = u16(bytes, at);
    const body = at + 2;
    const end = at + length;
    if (length < 2 || end > bytes.length) throw corrupt('a JPEG segment is truncated');
    if (isStartOfFrame(marker)) {
      // Decoders disagree on a second frame; refusing it keeps the checked size the decoded size.
      if (frame) throw corrupt('it holds more than one JPEG frame');
      if (length < 8) throw corrupt('its JPEG frame header is truncated');
      frame = { height: u16(bytes, body + 1), width: u16(bytes, body + 3) };
      if (frame.width === 0 || frame.height === 0) throw corrupt('its JPEG dimensions are missing');
    } else if (marker === 0xe1 && !frame && String.fromCharCode(...bytes.subarray(body, body + 6)) === EXIF_ID) {
      orientation = exifOrientation(bytes.subarray(body + 6, end));
    }
    at = end;
    if (marker === 0xda) {
      if (!frame) throw corrupt('its JPEG scan comes before the frame header');
      if (++scans > DECODER_LIMITS.maxJpegScans) {
        throw new TooLargeError(`the picture has more than ${DECODER_LIMITS.maxJpegScans} JPEG scans`, { field: 'qrImage', maxScans: DECODER_LIMITS.maxJpegScans });
      }
      at = nextMarker(bytes, at);
    }
  }
  if (!frame) throw corrupt('its JPEG frame header is missing');
  return { format: 'jpeg', width: frame.width, height: frame.height, orientation };
}

/** Skips entropy-coded data: 0xFF is data when followed by 0x00 (stuffing) or a restart marker. */
function nextMarker(bytes: Uint8Array, from: number): number {
  let at = from;
  for (;;) {
    at = bytes.indexOf(0xff, at);
    if (at < 0 || at + 1 >= bytes.length) return bytes.length;
    const next = bytes[at + 1];
    if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return at;
    at += 1;
  }
}
