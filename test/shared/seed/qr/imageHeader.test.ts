import { TooLargeError } from '../../../../shared/errors';
import { readImageHeader } from '../../../../shared/seed/qr/imageHeader';
import { pngRawSize } from '../../../../shared/seed/qr/pngData';
import { canvas, pngWith, toJpeg, toPng, withExifOrientation } from './pictures';
import { decodeQrTexts } from '../../../../shared/seed/qr';

describe('readImageHeader', () => {
  it('reads the size of a PNG from its IHDR', () => {
    // Act
    const header = readImageHeader(toPng(canvas(33, 21)));

    // Assess
    expect(header).toEqual({ format: 'png', width: 33, height: 21, orientation: 1 });
  });

  it.each([
    ['little-endian', 'II'],
    ['big-endian', 'MM'],
  ] as const)('reads the size and the %s EXIF orientation of a JPEG', (_name, byteOrder) => {
    // Act
    const header = readImageHeader(withExifOrientation(toJpeg(canvas(40, 24)), 6, byteOrder));

    // Assess
    expect(header).toEqual({ format: 'jpeg', width: 40, height: 24, orientation: 6 });
  });

  it('takes a JPEG whose orientation is out of range or points outside its EXIF as upright', () => {
    // Prepare
    const outOfRange = withExifOrientation(toJpeg(canvas(8, 8)), 9);
    const pointingOut = Uint8Array.from(withExifOrientation(toJpeg(canvas(8, 8)), 6));
    pointingOut[16] = 0xf0; // IFD0 offset (SOI 2 + APP1 4 + "Exif\0\0" 6 + TIFF header 4) past the segment

    // Act
    const headers = [readImageHeader(outOfRange), readImageHeader(pointingOut)];

    // Assess
    expect(headers.map((h) => h.orientation)).toEqual([1, 1]);
  });

  it('accepts exactly maxPixels and refuses one more row', () => {
    // Prepare
    const exactly = pngWith(8000, 5000, new Uint8Array(0));
    const over = pngWith(8000, 5001, new Uint8Array(0));

    // Act
    const header = readImageHeader(exactly);

    // Assess
    expect(header.width * header.height).toBe(40_000_000);
    expect(() => readImageHeader(over)).toThrow(TooLargeError);
  });
});

describe('PNG data size', () => {
  it('counts a filter byte per row, and rows per Adam7 pass when interlaced', () => {
    // Assess: 3x2 grey 8-bit is 2 rows of 1+3 bytes; interlaced, passes 1, 4, 6 and 7 hold pixels
    expect(pngRawSize(3, 2, 8, false)).toBe(8);
    expect(pngRawSize(3, 2, 8, true)).toBe(2 + 2 + 2 + 4);
    expect(pngRawSize(9, 1, 1, false)).toBe(1 + 2);
  });

  it('decodes an interlaced PNG whose data is exactly as large as its seven passes say', async () => {
    // Prepare
    const png = pngWith(3, 2, new Uint8Array(10).fill(0).map((_, i) => (i % 2 === 0 ? 0 : 255)), { interlace: 1 });

    // Act
    const texts = await decodeQrTexts(png);

    // Assess
    expect(texts).toEqual([]);
  });
});
