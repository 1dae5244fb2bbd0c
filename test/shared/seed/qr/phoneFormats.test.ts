import { InvalidSeedError, TooLargeError } from '../../../../shared/errors';
import { decodeQrTexts } from '../../../../shared/seed/qr';
import { scanQrImage } from '../../../../shared/seed/qr/decodeQrTexts';
import { readImageHeader } from '../../../../shared/seed/qr/imageHeader';
import { Picture } from '../../../../shared/seed/qr/Picture';
import { expectSafeCallerError, rejection } from '../helpers';
import { photoCanvas, toHeif, toWebp } from './phonePictures';
import { canvas, drawQr, forbidFetch, toJpeg, type Canvas } from './pictures';

const SEED_URI = 'otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME';
const OTHER_URI = 'otpauth://totp/ACME:bob?secret=KRUGS4ZANFZSAYJA&issuer=ACME';

/** Offset of the first occurrence of a 4CC box type in the file. */
const boxAt = (file: Uint8Array, type: string): number => Buffer.from(file).indexOf(type, 0, 'latin1');

/** A copy of `file` with every HEIF `ispe` (the image's, its alpha plane's) saying width x height. */
function withIspe(file: Uint8Array, width: number, height: number): Uint8Array {
  const copy = Buffer.from(file);
  for (let at = copy.indexOf('ispe', 0, 'latin1'); at >= 0; at = copy.indexOf('ispe', at + 4, 'latin1')) {
    copy.writeUInt32BE(width, at + 8);
    copy.writeUInt32BE(height, at + 12);
  }
  return new Uint8Array(copy);
}

/** A WebP holding only a VP8X chunk: a canvas of width x height, flags as given. */
function webpVp8x(width: number, height: number, flags = 0): Uint8Array {
  const chunk = Buffer.alloc(18);
  chunk.write('VP8X', 0, 'latin1');
  chunk.writeUInt32LE(10, 4);
  chunk[8] = flags;
  chunk.writeUIntLE(width - 1, 12, 3);
  chunk.writeUIntLE(height - 1, 15, 3);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + chunk.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return new Uint8Array(Buffer.concat([riff, chunk, Buffer.alloc(12)]));
}

describe('decodeQrTexts on the pictures phones make (HEIC, WebP, AVIF)', () => {
  let fetchSpy: ReturnType<typeof forbidFetch>;
  let screenshot: Canvas;

  beforeAll(async () => {
    fetchSpy = forbidFetch();
    screenshot = canvas(300, 240);
    await drawQr(screenshot, SEED_URI, 30, 30);
  });

  afterAll(() => {
    fetchSpy.mockRestore();
  });

  it.each([
    ['a lossy WebP (Android camera)', () => toWebp(screenshot), 'webp'],
    ['a lossless WebP (Android screenshot)', () => toWebp(screenshot, { lossless: true }), 'webp'],
    ['a HEIC (iPhone camera)', async () => toHeif(screenshot, 'heic'), 'heic'],
    ['an AVIF', async () => toHeif(screenshot, 'avif'), 'avif'],
  ])('reads the seed URI from %s, loading its decoder from node_modules without the network', async (_name, encode, format) => {
    // Prepare
    const file = await encode();

    // Act
    const header = readImageHeader(file);
    const scan = await scanQrImage(file);

    // Assess
    expect(header).toEqual({ format, width: 300, height: 240, orientation: 1 });
    expect(scan.texts).toEqual([SEED_URI]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('reads two codes of a WebP in reading order, as it does for PNG', async () => {
    // Prepare
    const picture = canvas(460, 240);
    await drawQr(picture, OTHER_URI, 20, 30);
    await drawQr(picture, SEED_URI, 240, 30);

    // Act
    const texts = await decodeQrTexts(await toWebp(picture, { lossless: true }));

    // Assess
    expect(texts).toEqual([OTHER_URI, SEED_URI]);
  });

  it('reads the code of a 3.2 MP HEIC photo on a reduced copy first', async () => {
    // Prepare: 2100x1500 (x265 takes too long on 12 MP for a unit test: bench/qrDecode.ts has 12 MP HEIC, AVIF, WebP)
    const photo = photoCanvas(2100, 1500);
    await drawQr(photo, SEED_URI, 1300, 500, 6);
    const file = toHeif(photo, 'heic', 70);

    // Act
    const scan = await scanQrImage(file);

    // Assess
    expect(readImageHeader(file)).toMatchObject({ format: 'heic', width: 2100, height: 1500 });
    expect(scan).toEqual({ texts: [SEED_URI], pass: 'zxingReduced' });
  });

  it('reads the small code of a 12 MP JPEG photo on the pixel path (libjpeg-turbo: reduced, then in full)', async () => {
    // Prepare: 4000x3000, the code 3 px per module (about 2.5% of the width)
    const photo = photoCanvas(4000, 3000);
    await drawQr(photo, SEED_URI, 1000, 2000, 3);
    const file = toJpeg(photo, 92);

    // Act
    const scan = await scanQrImage(file);

    // Assess
    expect(new Picture(file, readImageHeader(file)).pixelPath).toBe(true);
    expect(scan.texts).toEqual([SEED_URI]);
    expect(['zxingReduced', 'zxing']).toContain(scan.pass);
  });

  it('reads PNGs and JPEGs up to 4 MP from the file with zxing, as before', () => {
    // Prepare
    const jpeg = toJpeg(canvas(2000, 2000));

    // Act
    const picture = new Picture(jpeg, readImageHeader(jpeg));

    // Assess
    expect(picture.pixelPath).toBe(false);
  });

  it('finds no code in a 5 MP WebP photo without one, and says so', async () => {
    // Act
    const scan = await scanQrImage(await toWebp(photoCanvas(2500, 2000), { quality: 50 }));

    // Assess
    expect(scan).toEqual({ texts: [], pass: undefined });
  });
});

describe('HEIC, WebP and AVIF headers: limits before decoding, and what is refused', () => {
  let heic: Uint8Array;
  let avif: Uint8Array;

  beforeAll(async () => {
    forbidFetch();
    const picture = canvas(200, 200);
    await drawQr(picture, SEED_URI, 20, 20);
    heic = toHeif(picture, 'heic');
    avif = toHeif(picture, 'avif');
  });

  it.each([
    ['a HEIC whose ispe claims 20000x20000', () => withIspe(heic, 20_000, 20_000)],
    ['an AVIF whose ispe claims 8000x5001', () => withIspe(avif, 8000, 5001)],
    ['a WebP whose VP8X canvas claims 16384x16384', () => webpVp8x(16_384, 16_384)],
  ])('refuses %s as too large from its header', async (_name, make) => {
    // Act
    const error = await rejection(decodeQrTexts(make()));

    // Assess
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error.message).toMatch(/pixels, more than the 40000000 allowed/);
  });

  it.each([
    // libheif itself checks the coded size against ispe; the vault checks the decoded size as well
    ['a HEIC whose ispe understates its size', () => withIspe(heic, 100, 100), /its HEIC pixels are not the 100x100 its header declares|HEIC data cannot be decoded/],
    ['an AVIF whose ispe understates its size', () => withIspe(avif, 100, 100), /its AVIF pixels are not the 100x100 its header declares|AVIF data cannot be decoded/],
    ['a HEIC cut in half', () => heic.subarray(0, heic.length >> 1), /^the picture is corrupt: /],
    ['a HEIC without its meta box', () => heic.subarray(0, boxAt(heic, 'meta') - 4), /HEIF meta box is missing/],
    ['an animated WebP', () => webpVp8x(100, 100, 0x02), /animated WebP/],
    ['a WebP whose first chunk is unknown', () => new Uint8Array(Buffer.concat([Buffer.from('RIFF\x16\x00\x00\x00WEBPJUNK\x0a\x00\x00\x00', 'latin1'), Buffer.alloc(10)])), /neither VP8/],
  ])('refuses %s as corrupt, quoting nothing from it', async (_name, make, message) => {
    // Act
    const error = await rejection(decodeQrTexts(make()));

    // Assess
    expectSafeCallerError(error, [SEED_URI, 'JBSWY3DPEHPK3PXP'], InvalidSeedError);
    expect(error.message).toMatch(message);
  });

  it('refuses an MP4 (an ISOBMFF file whose brands are not HEIF images) as not a picture', async () => {
    // Prepare
    const mp4 = Buffer.alloc(32);
    mp4.writeUInt32BE(24, 0);
    mp4.write('ftypisom\0\0\0\0isommp41', 4, 'latin1');

    // Act
    const error = await rejection(decodeQrTexts(new Uint8Array(mp4)));

    // Assess
    expect(error.message).toBe('the picture is not a PNG, JPEG, HEIC, WebP or AVIF image');
  });
});
