import type { Pgm, Pixmap } from './types';

/** `P5`, the size, the largest value: the header of a binary 8-bit PGM. */
const pgmHeader = (width: number, height: number): Uint8Array => new TextEncoder().encode(`P5\n${width} ${height}\n255\n`);

/**
 * Copies `width` x `height` grey bytes into a new binary PGM file.
 *
 * @param grey - the pixels, row by row (e.g. a view of a decoder's memory, which this copies out of)
 * @example
 * toPgm(new Uint8Array([0, 255]), 2, 1).pgm; // 'P5\n2 1\n255\n' then 0x00 0xff
 */
export function toPgm(grey: Uint8Array, width: number, height: number): Pgm {
  const header = pgmHeader(width, height);
  const pgm = new Uint8Array(header.length + width * height);
  pgm.set(header);
  pgm.set(grey.subarray(0, width * height), header.length);
  return { pgm, width, height };
}

export const isPgm = (image: Pixmap): image is Pgm => 'pgm' in image;

/** Whether the pixel bytes are exactly what `width` x `height` holds (4 per pixel for RGBA, 1 for grey). */
export function holdsItsSize(image: Pixmap): boolean {
  const { width, height } = image;
  return isPgm(image) ? image.pgm.length === pgmHeader(width, height).length + width * height : image.data.length === width * height * 4;
}
