import { readFileSync } from 'node:fs';
import { table } from '../../../../bench/stats';
import { decodeQrTexts } from '../../../../shared/seed/qr';
import { judge, loadQrCases, type QrCase, type Verdict } from './corpus';
import { canvas, forbidFetch, pastePng, toPng } from './pictures';

/** zxing-wasm alone reads 135 of the 146 cases, jsQR alone 110; together with preprocessing, 139. */
const MIN_CASES_READ = 136;

describe('decodeQrTexts on the QR corpus (zxing-cpp samples qrcode-1..7)', () => {
  const cases = loadQrCases();
  const verdicts = new Map<QrCase, Verdict>();

  beforeAll(async () => {
    forbidFetch();
    for (const qrCase of cases) {
      const textsPerImage: string[][] = [];
      for (const file of qrCase.images) textsPerImage.push(await decodeQrTexts(new Uint8Array(readFileSync(file))));
      verdicts.set(qrCase, judge(qrCase, textsPerImage));
    }
    const sets = [...new Set(cases.map((c) => c.set)), 'total'];
    const rows = sets.map((set) => {
      const inSet = cases.filter((c) => set === 'total' || c.set === set);
      const count = (v: Verdict) => inSet.filter((c) => verdicts.get(c) === v).length;
      return { set, cases: inSet.length, ok: count('ok'), miss: count('miss'), wrong: count('wrong') };
    });
    const missed = cases.filter((c) => verdicts.get(c) === 'miss').map((c) => c.id);
    console.log(`QR corpus\n${table(rows)}\nmissed: ${missed.join(' ')}`);
  }, 120_000);

  it('holds the 146 cases of its SOURCE.md', () => {
    // Assess
    expect(cases).toHaveLength(146);
  });

  it(`reads at least ${MIN_CASES_READ} cases, more than zxing-wasm (135) or jsQR (110) alone`, () => {
    // Act
    const read = cases.filter((c) => verdicts.get(c) === 'ok').length;

    // Assess
    expect(read).toBeGreaterThanOrEqual(MIN_CASES_READ);
  });

  it('returns no wrong text for any case: a misread seed is worse than none', () => {
    // Act
    const misread = cases.filter((c) => verdicts.get(c) === 'wrong').map((c) => c.id);

    // Assess
    expect(misread).toEqual([]);
  });

  it('returns one message for a structured-append sequence whose four parts are in one picture', async () => {
    // Prepare: qrcode-7's four parts side by side, in the order 4, 3, 2, 1
    const qrCase = cases.find((c) => c.id === 'qrcode-7/01');
    if (!qrCase) throw new Error('qrcode-7/01 is missing from the corpus');
    const mosaic = canvas(4 * 280, 280);
    [...qrCase.images].reverse().forEach((file, i) => pastePng(mosaic, file, i * 280, 0));

    // Act
    const texts = await decodeQrTexts(toPng(mosaic));

    // Assess
    expect(texts).toEqual([qrCase.expected]);
  });

  it('returns a part of a structured-append sequence as its own text when the picture holds only that part', async () => {
    // Prepare
    const qrCase = cases.find((c) => c.id === 'qrcode-7/01');
    if (!qrCase) throw new Error('qrcode-7/01 is missing from the corpus');

    // Act
    const texts = await decodeQrTexts(new Uint8Array(readFileSync(qrCase.images[1])));

    // Assess
    expect(texts).toHaveLength(1);
    expect(qrCase.expected).toContain(texts[0]);
    expect(texts[0].length).toBeLessThan(qrCase.expected.length);
  });
});
