/** A point in stored-pixel coordinates (before any EXIF orientation is applied). */
export interface Point {
  x: number;
  y: number;
}

/** The picture formats read: what phones and screenshots make. HEIC and AVIF share the HEIF container. */
export type PictureFormat = 'png' | 'jpeg' | 'heic' | 'avif' | 'webp';

/** How each format is named in messages. */
export const FORMAT_NAMES: Record<PictureFormat, string> = { png: 'PNG', jpeg: 'JPEG', heic: 'HEIC', avif: 'AVIF', webp: 'WebP' };

/** What a picture's header says, read before any pixel is decoded. */
export interface ImageHeader {
  format: PictureFormat;
  width: number;
  height: number;
  /** EXIF orientation 1..8 (1 = as stored); PNG is always 1. */
  orientation: number;
}

/** RGBA pixels, 4 bytes each: the shape zxing-wasm (as `ImageData`) and jsQR both take. */
export interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * Grey pixels, one byte each, held as a binary PGM file (P5) that zxing reads as it is (stb_image only
 * copies the bytes): no RGBA copy four times the size is made, nor turned back into luminance by zxing.
 */
export interface Pgm {
  pgm: Uint8Array;
  width: number;
  height: number;
}

/** Pixels as a decoder hands them to the passes: RGBA, or grey (a large JPEG, see `decodeJpegLuma`). */
export type Pixmap = Rgba | Pgm;

/** One QR symbol a pass found. */
export interface FoundQr {
  text: string;
  /** Top-left, top-right, bottom-right, bottom-left corners, in stored-pixel coordinates. */
  corners: readonly [Point, Point, Point, Point];
  /** Set when the symbol is one part of a structured-append sequence. */
  sequence?: { id: string; index: number; size: number };
}
