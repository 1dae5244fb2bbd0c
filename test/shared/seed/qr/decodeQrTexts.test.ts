import { decodeQrTexts } from '../../../../shared/seed/qr';
import { scanQrImage } from '../../../../shared/seed/qr/decodeQrTexts';
import { canvas, drawQr, forbidFetch, toJpeg, toPng, withExifOrientation } from './pictures';

const URI_A = 'otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME';
const URI_B = 'otpauth://totp/ACME:bob?secret=KRUGS4ZANFZSAYJA&issuer=ACME';
const URI_C = 'otpauth://hotp/Example:carol?secret=GEZDGNBVGY3TQOJQ&counter=7';
const URI_D = 'https://example.com/help/two-factor';

describe('decodeQrTexts', () => {
  let fetchSpy: ReturnType<typeof forbidFetch>;

  beforeAll(() => {
    fetchSpy = forbidFetch();
  });

  afterAll(() => {
    fetchSpy.mockRestore();
  });

  it('reads a seed URI from a screenshot, loading the zxing wasm from disk without the network', async () => {
    // Prepare
    const picture = canvas(220, 220);
    await drawQr(picture, URI_A, 20, 20);

    // Act
    const texts = await decodeQrTexts(toPng(picture));

    // Assess
    expect(texts).toEqual([URI_A]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('returns every distinct code once, in reading order: rows top to bottom, each left to right', async () => {
    // Prepare: B and A on the top row (B slightly lower), C and D below, and A again bottom right.
    const picture = canvas(640, 440);
    await drawQr(picture, URI_B, 20, 30);
    await drawQr(picture, URI_A, 230, 20);
    await drawQr(picture, URI_C, 20, 230);
    await drawQr(picture, URI_D, 230, 240);
    await drawQr(picture, URI_A, 440, 230);

    // Act
    const texts = await decodeQrTexts(toPng(picture));

    // Assess
    expect(texts).toEqual([URI_B, URI_A, URI_C, URI_D]);
  });

  it.each([
    [1, 'as stored', [URI_A, URI_B]],
    [6, 'turned 90° clockwise: the left code shows on top', [URI_A, URI_B]],
    [8, 'turned 90° counter-clockwise: the right code shows on top', [URI_B, URI_A]],
    [3, 'turned 180°: the right code shows on the left', [URI_B, URI_A]],
  ])('orders the codes of a phone photo as displayed, EXIF orientation %i (%s)', async (orientation, _how, expected) => {
    // Prepare: A left of B in the stored pixels
    const picture = canvas(440, 220);
    await drawQr(picture, URI_A, 20, 20);
    await drawQr(picture, URI_B, 230, 20);
    const photo = withExifOrientation(toJpeg(picture), orientation);

    // Act
    const texts = await decodeQrTexts(photo);

    // Assess
    expect(texts).toEqual(expected);
  });

  it('reads a code drawn on a transparent background, as a viewer shows it over white', async () => {
    // Prepare: black modules on transparent black, which every decoder sees as black on black
    const picture = canvas(200, 200, [0, 0, 0, 0]);
    await drawQr(picture, URI_A, 20, 20);

    // Act
    const scan = await scanQrImage(toPng(picture));

    // Assess
    expect(scan).toEqual({ texts: [URI_A], pass: 'flattened' });
  });

  it('reads a light code on a dark background', async () => {
    // Prepare
    const picture = canvas(220, 220, [0, 0, 0, 255]);
    await drawQr(picture, URI_C, 20, 20, 4, [255, 255, 255, 255]);

    // Act
    const texts = await decodeQrTexts(toPng(picture));

    // Assess
    expect(texts).toEqual([URI_C]);
  });

  it('returns no text for a picture without a QR code', async () => {
    // Prepare
    const blank = toPng(canvas(300, 200));

    // Act
    const scan = await scanQrImage(blank);

    // Assess
    expect(scan).toEqual({ texts: [], pass: undefined });
  });
});
