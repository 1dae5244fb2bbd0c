import { jest } from '@jest/globals';
import { PNG } from 'pngjs';
import { InvalidSeedError, TooLargeError } from '../../../../shared/errors';
import { scanQrImage } from '../../../../shared/seed/qr/decodeQrTexts';
import { QR_PASSES } from '../../../../shared/seed/qr/passes';
import { Picture } from '../../../../shared/seed/qr/Picture';
import { decodeQrTexts, QR_LIMITS } from '../../../../shared/seed/qr';
import { expectSafeCallerError, rejection } from '../helpers';
import { canvas, drawQr, forbidFetch, pngChunk, pngWith, toPng } from './pictures';

const SEED_URI = 'otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME';
const MB = 1024 * 1024;

/** A PNG that is only a signature and an IHDR claiming these dimensions. */
function pngHeaderClaiming(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr)]));
}

/** A JPEG: SOI, a progressive frame header of these dimensions, then `scans` empty scans and EOI. */
function jpegClaiming(width: number, height: number, scans = 1): Uint8Array {
  const sof2 = [0xff, 0xc2, 0, 11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0];
  const sos = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 0, 0];
  return new Uint8Array([0xff, 0xd8, ...sof2, ...Array.from({ length: scans }, () => sos).flat(), 0xff, 0xd9]);
}

/**
 * What looked at the pixels while `picture` was scanned: the decoder passes that ran and the
 * JavaScript pixel decoding. (Not memory figures: those depend on when the garbage collector runs.)
 */
async function decodersReached(picture: Uint8Array): Promise<{ passes: string[]; pixelDecodes: number }> {
  const passes: string[] = [];
  const watched = QR_PASSES.map((pass) => ({ ...pass, run: (p: Picture) => (passes.push(pass.name), pass.run(p)) }));
  const pixels = jest.spyOn(Picture.prototype, 'pixels');
  const reduced = jest.spyOn(Picture.prototype, 'reduced');
  const pngRead = jest.spyOn(PNG.sync, 'read');
  try {
    await scanQrImage(picture, watched).catch(() => undefined);
    return { passes, pixelDecodes: pixels.mock.calls.length + reduced.mock.calls.length + pngRead.mock.calls.length };
  } finally {
    pixels.mockRestore();
    reduced.mockRestore();
    pngRead.mockRestore();
  }
}

describe('decodeQrTexts limits', () => {
  beforeAll(() => {
    forbidFetch();
  });

  it('has explicit limits: 4.4 MB per picture (its base64 fits a synchronous Lambda payload) and 40 MP', () => {
    // Assess
    expect(QR_LIMITS).toEqual({ maxImageBytes: 4_400_000, maxPixels: 40_000_000 });
  });

  it.each([
    ['a PNG whose header claims 100000x100000 pixels', () => pngHeaderClaiming(100_000, 100_000)],
    ['a JPEG whose frame header claims 65535x65535 pixels', () => jpegClaiming(65_535, 65_535)],
    ['a PNG one pixel row over the limit', () => pngHeaderClaiming(8000, 5001)],
  ])('refuses %s as too large, before allocating any pixel', async (_name, makePicture) => {
    // Prepare
    const picture = makePicture();

    // Act
    const error = await rejection(decodeQrTexts(picture));
    const reached = await decodersReached(picture);

    // Assess
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error.message).toMatch(/pixels, more than the 40000000 allowed/);
    expect(reached).toEqual({ passes: [], pixelDecodes: 0 });
  });

  it('refuses a file over maxImageBytes as too large, whatever it holds', async () => {
    // Prepare
    const picture = new Uint8Array(QR_LIMITS.maxImageBytes + 1);
    picture.set(pngHeaderClaiming(10, 10));

    // Act
    const error = await rejection(decodeQrTexts(picture));

    // Assess
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error.message).toBe('the picture is larger than 4400000 bytes');
  });

  it('refuses a progressive JPEG with more scans than a decoder should walk', async () => {
    // Act
    const error = await rejection(decodeQrTexts(jpegClaiming(6000, 6000, 101)));

    // Assess
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error.message).toMatch(/more than 100 JPEG scans/);
  });

  it.each([
    ['a non-interlaced', 0],
    ['an interlaced', 1],
  ])('refuses %s PNG whose small data inflates past its dimensions (a zlib bomb), without inflating it', async (_name, interlace) => {
    // Prepare: 100x100 grey declares 10 100 bytes; the stream holds 64 MB of zeros in 64 kB
    const bomb = pngWith(100, 100, new Uint8Array(64 * MB), { interlace });

    // Act
    const error = await rejection(decodeQrTexts(bomb));
    const reached = await decodersReached(bomb);

    // Assess
    expect(bomb.length).toBeLessThan(100_000);
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect(error.message).toBe('the picture is corrupt: its PNG data inflates to more than its dimensions allow');
    expect(reached).toEqual({ passes: [], pixelDecodes: 0 });
  });

  it('sees the decoders reach a picture within the limits (the control of the checks above)', async () => {
    // Prepare: 3x2 grey, each row a filter byte and 3 pixels
    const png = pngWith(3, 2, new Uint8Array([0, 255, 255, 255, 0, 255, 255, 255]));

    // Act
    const reached = await decodersReached(png);

    // Assess
    expect(reached.passes).toEqual(QR_PASSES.map((pass) => pass.name));
    expect(reached.pixelDecodes).toBeGreaterThan(0);
  });

  it('decodes a PNG whose data is exactly as large as its dimensions say', async () => {
    // Prepare: 3x2 grey, each row a filter byte and 3 pixels
    const png = pngWith(3, 2, new Uint8Array([0, 255, 255, 255, 0, 255, 255, 255]));

    // Act
    const texts = await decodeQrTexts(png);

    // Assess
    expect(texts).toEqual([]);
  });
});

describe('decodeQrTexts on what is not a usable picture', () => {
  beforeAll(() => {
    forbidFetch();
  });

  let qrPng: Uint8Array;
  beforeAll(async () => {
    const picture = canvas(200, 200);
    await drawQr(picture, SEED_URI, 20, 20);
    qrPng = toPng(picture);
  });

  it.each([
    ['random bytes', () => Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 251)],
    ['a text file holding a seed URI', () => new Uint8Array(Buffer.from(`${SEED_URI}\n`))],
    ['a GIF', () => new Uint8Array(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))],
    ['an empty file', () => new Uint8Array(0)],
  ])('refuses %s as not a picture it reads', async (_name, makeBytes) => {
    // Act
    const error = await rejection(decodeQrTexts(makeBytes()));

    // Assess
    expectSafeCallerError(error, [SEED_URI, 'JBSWY3DPEHPK3PXP'], InvalidSeedError);
    expect(error.message).toBe('the picture is not a PNG, JPEG, HEIC, WebP or AVIF image');
  });

  it.each([
    ['cut in half', (png: Uint8Array) => png.subarray(0, png.length >> 1)],
    ['cut inside its header', (png: Uint8Array) => png.subarray(0, 20)],
    ['with its image data garbled', (png: Uint8Array) => garbleIdat(png)],
  ])('refuses a PNG of a seed QR code %s as corrupt, quoting nothing from it', async (_name, damage) => {
    // Act
    const error = await rejection(decodeQrTexts(damage(qrPng)));

    // Assess
    expectSafeCallerError(error, [SEED_URI, 'JBSWY3DPEHPK3PXP'], InvalidSeedError);
    expect(error.message).toMatch(/^the picture is corrupt: /);
  });

  it.each([
    ['a JPEG without a frame header', new Uint8Array([0xff, 0xd8, 0xff, 0xd9])],
    ['a JPEG whose segment runs past the end', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x40, 0x00, 0x4a, 0x46])],
    ['a JPEG with two frames', new Uint8Array([...jpegClaiming(10, 10, 0).subarray(0, 15), ...jpegClaiming(10, 10, 0).subarray(2)])],
  ])('refuses %s as corrupt', async (_name, jpeg) => {
    // Act
    const error = await rejection(decodeQrTexts(jpeg));

    // Assess
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect(error.message).toMatch(/^the picture is corrupt: /);
  });

  it('returns no text for a JPEG with a sound header and garbage data, which zxing decodes as best it can', async () => {
    // Prepare
    const jpeg = new Uint8Array([...jpegClaiming(64, 64, 1).subarray(0, 25), ...Array<number>(300).fill(0x5a), 0xff, 0xd9]);

    // Act
    const texts = await decodeQrTexts(jpeg);

    // Assess
    expect(texts).toEqual([]);
  });

  it('returns no text for a blank white PNG', async () => {
    // Act
    const texts = await decodeQrTexts(toPng(canvas(320, 240)));

    // Assess
    expect(texts).toEqual([]);
  });
});

/** Overwrites the start of the first IDAT chunk's zlib stream (its CRC left stale). */
function garbleIdat(png: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(png);
  const at = Buffer.from(copy).indexOf('IDAT', 8, 'latin1');
  const length = Buffer.from(copy).readUInt32BE(at - 4);
  copy.fill(0x5a, at + 4, at + 4 + Math.min(length, 64));
  return copy;
}
