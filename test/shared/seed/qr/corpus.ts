import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The QR picture corpus (zxing-cpp's qrcode-1..7 samples; see its SOURCE.md): `shared/corpus/qr` beside
 * the repository, or `$OTPVAULT_CORPUS_DIR/qr`.
 */
export const QR_CORPUS_DIR = join(
  process.env.OTPVAULT_CORPUS_DIR ?? fileURLToPath(new URL('../../../../../shared/corpus/', import.meta.url)),
  'qr',
);

/** One expected text and the picture(s) that hold it (several for a structured-append sequence). */
export interface QrCase {
  set: string;
  name: string;
  /** `set/name`, e.g. `qrcode-2/16`. */
  id: string;
  images: string[];
  expected: string;
}

export type Verdict = 'ok' | 'miss' | 'wrong';

/**
 * Codes a picture holds besides the one its .txt names. qrcode-2/16 is a "double QR": a small code
 * printed over a big one; the .txt has the inner text, and the outer text is genuine too.
 */
const KNOWN_EXTRA_CODES: Record<string, number> = { 'qrcode-2/16': 1 };

/** Every case of the corpus: each PNG/JPEG with its NAME.txt; qrcode-7's four parts are one case. */
export function loadQrCases(dir = QR_CORPUS_DIR): QrCase[] {
  if (!existsSync(dir)) throw new Error(`QR corpus not found at ${dir}; set OTPVAULT_CORPUS_DIR to the directory holding qr/`);
  const cases: QrCase[] = [];
  for (const set of readdirSync(dir).filter((d) => d.startsWith('qrcode-')).sort()) {
    const images = readdirSync(join(dir, set)).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();
    const parts = new Map<string, string[]>();
    for (const image of images) {
      // qrcode-7: 01-01.png .. 01-04.png are the parts of 01.txt
      const name = image.replace(/\.(png|jpe?g)$/i, '').replace(/^(\d+)-\d+$/, '$1');
      parts.set(name, [...(parts.get(name) ?? []), join(dir, set, image)]);
    }
    for (const [name, files] of parts) {
      cases.push({ set, name, id: `${set}/${name}`, images: files, expected: readFileSync(join(dir, set, `${name}.txt`), 'utf8') });
    }
  }
  return cases;
}

/**
 * Compares the texts read from each picture of a case with its expected text. One picture: ok when the
 * expected text is among them. Several (structured append): ok when the texts joined in order equal it.
 * Wrong when a text is neither expected (or a part of it) nor a known extra code: a misread.
 */
export function judge(qrCase: QrCase, textsPerImage: readonly (readonly string[])[]): Verdict {
  const texts = textsPerImage.flat();
  if (qrCase.images.length > 1) {
    if (texts.some((t) => !qrCase.expected.includes(t))) return 'wrong';
    return textsPerImage.map((t) => t.join('')).join('') === qrCase.expected ? 'ok' : 'miss';
  }
  const extra = texts.filter((t) => t !== qrCase.expected).length;
  if (extra > (KNOWN_EXTRA_CODES[qrCase.id] ?? 0)) return 'wrong';
  return texts.includes(qrCase.expected) ? 'ok' : 'miss';
}
