import { readWithJsqr, trustedText } from '../../../../shared/seed/qr/jsqrPass';
import { canvas, drawQr, forbidFetch } from './pictures';

type Chunks = Parameters<typeof trustedText>[0];

// jsQR's chunk shapes, as its decoder builds them (its Mode enum is not exported at runtime).
const byteChunk = (bytes: number[]) => ({ type: 'byte', bytes, text: '' }) as unknown as Chunks[number];
const kanjiChunk = (bytes: number[]) => ({ type: 'kanji', bytes, text: '' }) as unknown as Chunks[number];
const textChunk = (type: 'numeric' | 'alphanumeric', text: string) => ({ type, text }) as unknown as Chunks[number];
const eciChunk = (assignmentNumber: number) => ({ type: 'eci', assignmentNumber }) as unknown as Chunks[number];

describe('trustedText', () => {
  it('joins numeric, alphanumeric and UTF-8 byte segments', () => {
    // Act
    const text = trustedText([textChunk('alphanumeric', 'OTPAUTH:'), byteChunk([...Buffer.from('//é')]), textChunk('numeric', '42')]);

    // Assess
    expect(text).toBe('OTPAUTH://é42');
  });

  it('decodes Kanji segments as Shift-JIS', () => {
    // Act
    const text = trustedText([kanjiChunk([0x93, 0xfa, 0x96, 0x7b])]);

    // Assess
    expect(text).toBe('日本');
  });

  it.each([
    ['a byte segment that is not UTF-8 (Shift-JIS, which jsQR returns as "")', [byteChunk([0x83, 0x82, 0x83, 0x6f, 0x83, 0x43, 0x83, 0x8b])]],
    ['an ECI, whose charset jsQR ignores', [eciChunk(26), byteChunk([0x41])]],
    ['an empty code', []],
  ])('refuses %s rather than risk a wrong text', (_name, chunks) => {
    // Act
    const text = trustedText(chunks);

    // Assess
    expect(text).toBeUndefined();
  });
});

describe('readWithJsqr', () => {
  beforeAll(() => {
    forbidFetch();
  });

  it('reads a code in a large picture from a downscaled copy, and maps its corners back', async () => {
    // Prepare: 1200x900 (1.1 MP) is averaged down 2x to 600x450 for jsQR
    const picture = canvas(1200, 900);
    await drawQr(picture, 'otpauth://totp/big?secret=JBSWY3DPEHPK3PXP', 900, 600, 8);

    // Act
    const found = readWithJsqr({ ...picture, data: new Uint8ClampedArray(picture.data) });

    // Assess
    expect(found.map((f) => f.text)).toEqual(['otpauth://totp/big?secret=JBSWY3DPEHPK3PXP']);
    expect(found[0].corners[0].x).toBeGreaterThan(880);
    expect(found[0].corners[0].x).toBeLessThan(920);
  });
});
