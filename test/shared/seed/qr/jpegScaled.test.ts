import { jest } from '@jest/globals';
import { InvalidSeedError } from '../../../../shared/errors';
import { decodeQrTexts } from '../../../../shared/seed/qr';
import { scanQrImage } from '../../../../shared/seed/qr/decodeQrTexts';
import { readImageHeader } from '../../../../shared/seed/qr/imageHeader';
import { Picture } from '../../../../shared/seed/qr/Picture';
import { decodePixels } from '../../../../shared/seed/qr/pixelDecoders';
import type { ImageHeader, Pgm } from '../../../../shared/seed/qr/types';
import { expectSafeCallerError, rejection } from '../helpers';
import { photoCanvas } from './phonePictures';
import { canvas, drawQr, forbidFetch, toJpeg, withExifOrientation } from './pictures';

const SEED_URI = 'otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME';
const OTHER_URI = 'otpauth://totp/ACME:bob?secret=KRUGS4ZANFZSAYJA&issuer=ACME';

/** The grey value at (x, y) of a PGM. */
function greyAt(image: Pgm, x: number, y: number): number {
  return image.pgm[image.pgm.length - image.width * image.height + y * image.width + x];
}

const jpegHeader = (file: Uint8Array) => readImageHeader(file) as ImageHeader & { format: 'jpeg' };

describe('JPEG decoding reduced by DCT scaling', () => {
  let halves: Uint8Array;

  beforeAll(() => {
    forbidFetch();
    // 801x601, black on the left, white on the right: odd sizes, which libjpeg rounds up when it reduces.
    const picture = canvas(801, 601);
    for (let y = 0; y < 601; y++) picture.data.fill(0, y * 801 * 4, (y * 801 + 400) * 4);
    for (let i = 3; i < picture.data.length; i += 4) picture.data[i] = 255;
    halves = toJpeg(picture, 90);
  });

  it.each([
    [1, 801, 601],
    [2, 401, 301],
    [4, 201, 151],
    [8, 101, 76],
  ] as const)('decodes an 801x601 JPEG at 1/%i straight to %ix%i grey pixels', async (scale, width, height) => {
    // Act
    const image = (await decodePixels(halves, jpegHeader(halves), scale)) as Pgm;

    // Assess
    expect({ width: image.width, height: image.height }).toEqual({ width, height });
    expect(new TextDecoder().decode(image.pgm.subarray(0, image.pgm.length - width * height))).toBe(`P5\n${width} ${height}\n255\n`);
    expect(greyAt(image, Math.floor(width * 0.1), Math.floor(height / 2))).toBeLessThan(30);
    expect(greyAt(image, Math.floor(width * 0.9), Math.floor(height / 2))).toBeGreaterThan(225);
  });

  it.each([1, 2] as const)('refuses, at 1/%i, a JPEG that the decoder reads at another size than the header the limits checked', async (scale) => {
    // Prepare: what a header reader and libjpeg disagreeing on the frame would look like
    const header = { ...jpegHeader(halves), height: 600 };

    // Act
    const error = await rejection(decodePixels(halves, header, scale));

    // Assess
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect(error.message).toBe('the picture is corrupt: its JPEG pixels are not the 801x600 its header declares');
  });

  it('refuses a JPEG whose scan data libjpeg cannot decode, quoting nothing from it, and decodes the next one', async () => {
    // Prepare: a run of 0xFF in the middle of the scan, which libjpeg takes for a marker it does not know
    const broken = halves.slice();
    broken.fill(0xff, broken.length >> 1, (broken.length >> 1) + 200);

    // Act
    const error = await rejection(decodePixels(broken, jpegHeader(halves), 2));
    const next = await decodePixels(halves, jpegHeader(halves), 2);

    // Assess
    expectSafeCallerError(error, [], InvalidSeedError);
    expect(error.message).toBe('the picture is corrupt: its JPEG data cannot be decoded');
    expect(greyAt(next as Pgm, 40, 150)).toBeLessThan(30);
  });

  it('decodes a JPEG cut short as far as its data goes, as libjpeg does (and zxing for smaller JPEGs)', async () => {
    // Prepare
    const cut = halves.subarray(0, halves.length >> 1);

    // Act
    const image = (await decodePixels(cut, jpegHeader(cut), 2)) as Pgm;

    // Assess: the top rows are there, the missing ones filled in
    expect({ width: image.width, height: image.height }).toEqual({ width: 401, height: 301 });
    expect(greyAt(image, 40, 10)).toBeLessThan(30);
    expect(greyAt(image, 360, 10)).toBeGreaterThan(225);
  });
});

describe('large JPEG photos: the reduced decode first, the full size only for a code too small for it', () => {
  let fullDecodes: jest.SpiedFunction<Picture['pixels']>;

  beforeAll(() => {
    forbidFetch();
  });

  beforeEach(() => {
    fullDecodes = jest.spyOn(Picture.prototype, 'pixels');
  });

  afterEach(() => {
    fullDecodes.mockRestore();
  });

  it('reads the code of a 5 MP JPEG photo from its decode at 1/2, never decoding the full size', async () => {
    // Prepare: 2600x2000, the code 6 px per module (3 in the reduced copy)
    const photo = photoCanvas(2600, 2000);
    await drawQr(photo, SEED_URI, 1500, 600, 6);
    const file = toJpeg(photo, 90);

    // Act
    const scan = await scanQrImage(file);

    // Assess
    expect(new Picture(file, readImageHeader(file)).searchedReduced).toBe(true);
    expect(scan).toEqual({ texts: [SEED_URI], pass: 'zxingReduced' });
    expect(fullDecodes).not.toHaveBeenCalled();
  });

  it('finds a code too small for the reduced copy by decoding the full size', async () => {
    // Prepare: the code 2 px per module, each straddling two pixels of the reduced copy (odd offset)
    const photo = photoCanvas(2600, 2000);
    await drawQr(photo, SEED_URI, 1501, 601, 2);
    const file = toJpeg(photo, 95);

    // Act
    const scan = await scanQrImage(file);

    // Assess
    expect(scan).toEqual({ texts: [SEED_URI], pass: 'zxing' });
    expect(fullDecodes).toHaveBeenCalled();
  });

  /** SEED_URI left of OTHER_URI in the stored pixels: encoded once (jpeg-js, about a second), each case adding its own orientation. */
  let twoCodes: Promise<Uint8Array> | undefined;
  const twoCodesJpeg = () =>
    (twoCodes ??= (async () => {
      const photo = photoCanvas(2600, 2000);
      await drawQr(photo, SEED_URI, 400, 800, 6);
      await drawQr(photo, OTHER_URI, 1600, 800, 6);
      return toJpeg(photo, 90);
    })());

  it.each([
    [1, 'as stored', [SEED_URI, OTHER_URI]],
    [8, 'turned 90° counter-clockwise: the right code shows on top', [OTHER_URI, SEED_URI]],
  ])('orders the codes found in the reduced copy as displayed, EXIF orientation %i (%s)', async (orientation, _how, expected) => {
    // Prepare
    const file = withExifOrientation(await twoCodesJpeg(), orientation);

    // Act
    const texts = await decodeQrTexts(file);

    // Assess
    expect(texts).toEqual(expected);
    expect(fullDecodes).not.toHaveBeenCalled();
  });
});
