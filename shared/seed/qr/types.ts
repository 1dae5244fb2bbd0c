/** A point in stored-pixel coordinates (before any EXIF orientation is applied). */
export interface Point {
  x: number;
  y: number;
}

/** What a picture's header says, read before any pixel is decoded. */
export interface ImageHeader {
  format: 'png' | 'jpeg';
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

/** One QR symbol a pass found. */
export interface FoundQr {
  text: string;
  /** Top-left, top-right, bottom-right, bottom-left corners, in stored-pixel coordinates. */
  corners: readonly [Point, Point, Point, Point];
  /** Set when the symbol is one part of a structured-append sequence. */
  sequence?: { id: string; index: number; size: number };
}
