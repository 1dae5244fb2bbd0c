/**
 * QR decoding on the picture corpus (shared/corpus/qr, 146 cases): cases read per set, milliseconds per
 * picture (the whole of scanQrImage: header checks, file decoding and the passes), which pass read each
 * case, what each pass reads alone, and timings on large photos: grey noise (the slowest input for the
 * locators), and 12 MP JPEG, HEIC, WebP and AVIF photos with a code small in the frame or none, each beside
 * the time its decoder alone takes (and, for JPEG, the reduced decode that is tried first).
 *
 * Run: npx tsx bench/qrDecode.ts
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { InvalidSeedError } from '../shared/errors';
import { scanQrImage } from '../shared/seed/qr/decodeQrTexts';
import { readImageHeader } from '../shared/seed/qr/imageHeader';
import { Picture } from '../shared/seed/qr/Picture';
import { decodePixels, type PixelFormat } from '../shared/seed/qr/pixelDecoders';
import { photoCanvas, toHeif, toWebp } from '../test/shared/seed/qr/phonePictures';
import { QR_PASSES, type QrPassName } from '../shared/seed/qr/passes';
import { judge, loadQrCases, type QrCase, type Verdict } from '../test/shared/seed/qr/corpus';
import { percentile, round, table } from './stats';

export interface QrSetFigure {
  set: string;
  cases: number;
  ok: number;
  miss: number;
  wrong: number;
  pictures: number;
  medianMs: number;
  p95Ms: number;
}

export interface QrLargeFigure {
  picture: string;
  megapixels: number;
  found: number;
  pass: QrPassName | 'none';
  ms: number;
  /** The floor: decoding the file to pixels alone (libjpeg-turbo, libheif, libwebp, libavif), best of 2. */
  decodeOnlyMs: number | '-';
  /** JPEG: decoding it reduced to at most 3 MP (DCT scaling), what a photo whose code is found costs first. */
  reducedDecodeMs: number | '-';
}

export interface QrBenchFigures {
  sets: QrSetFigure[];
  total: QrSetFigure;
  /** Case ids read, by the pass that read them (first pass to find anything). */
  wonBy: Record<QrPassName, string[]>;
  /** Case ids missed, and misread. */
  missed: string[];
  misread: string[];
  /** Cases each pass reads when it runs alone, and the ids of those it misreads. */
  alone: Record<QrPassName, { ok: number; wrong: string[] }>;
  large: QrLargeFigure[];
}

export interface QrBenchOptions {
  /** Run each pass alone over the corpus as well. @default true */
  alone?: boolean;
  /** Time large synthetic photos (12 MP, 2 MP). @default true */
  large?: boolean;
  /** Print the tables. @default true */
  print?: boolean;
}

interface CaseRun {
  qrCase: QrCase;
  verdict: Verdict;
  pass: QrPassName | undefined;
  ms: number[];
}

async function runCase(qrCase: QrCase, passes = QR_PASSES): Promise<CaseRun> {
  const textsPerImage: string[][] = [];
  const ms: number[] = [];
  let pass: QrPassName | undefined;
  for (const file of qrCase.images) {
    const image = new Uint8Array(readFileSync(file));
    const t0 = performance.now();
    // A pass run alone may refuse a picture the full pipeline reads (a PNG variant only another pass decodes): a miss, not a crash.
    const scan = await scanQrImage(image, passes).catch((error: unknown) => {
      if (error instanceof InvalidSeedError) return { texts: [] as string[], pass: undefined };
      throw error;
    });
    ms.push(performance.now() - t0);
    textsPerImage.push(scan.texts);
    pass ??= scan.pass;
  }
  return { qrCase, verdict: judge(qrCase, textsPerImage), pass, ms };
}

function setFigure(set: string, runs: readonly CaseRun[]): QrSetFigure {
  const ms = runs.flatMap((r) => r.ms).sort((a, b) => a - b);
  const count = (v: Verdict) => runs.filter((r) => r.verdict === v).length;
  return {
    set,
    cases: runs.length,
    ok: count('ok'),
    miss: count('miss'),
    wrong: count('wrong'),
    pictures: ms.length,
    medianMs: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
  };
}

/** A photo-sized JPEG: grey noise, and (with `withCode`) a corpus QR picture scaled up in the middle. */
function syntheticPhoto(width: number, height: number, withCode: boolean): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  let seed = 42;
  for (let i = 0; i < data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data.fill(190 + (seed >>> 27), i, i + 3);
    data[i + 3] = 255;
  }
  if (withCode) {
    const qr = PNG.sync.read(readFileSync(loadQrCases().find((c) => c.id === 'qrcode-1/1')?.images[0] ?? ''));
    const k = Math.floor(Math.min(width, height) / 2 / qr.width);
    const [x0, y0] = [Math.floor((width - qr.width * k) / 2), Math.floor((height - qr.height * k) / 2)];
    for (let y = 0; y < qr.height * k; y++) {
      for (let x = 0; x < qr.width * k; x++) {
        const from = (Math.floor(y / k) * qr.width + Math.floor(x / k)) * 4;
        data.set(qr.data.subarray(from, from + 3), ((y0 + y) * width + x0 + x) * 4);
      }
    }
  }
  return new Uint8Array(encodeJpeg({ data, width, height }, 85).data);
}

/** A 4000x3000 photo (gradient, light noise) with the corpus code qrcode-1/1 pasted `codePx` wide (0: none). */
function photoWithCode(codePx: number) {
  const photo = photoCanvas(4000, 3000);
  if (codePx > 0) {
    const qr = PNG.sync.read(readFileSync(loadQrCases().find((c) => c.id === 'qrcode-1/1')?.images[0] ?? ''));
    const [x0, y0] = [2600, 900];
    for (let y = 0; y < codePx; y++) {
      for (let x = 0; x < codePx; x++) {
        const from = (Math.floor((y * qr.height) / codePx) * qr.width + Math.floor((x * qr.width) / codePx)) * 4;
        photo.data.set(qr.data.subarray(from, from + 3), ((y0 + y) * photo.width + x0 + x) * 4);
      }
    }
  }
  return photo;
}

async function bestOf2(run: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    await run();
    runs.push(performance.now() - t0);
  }
  return Math.round(Math.min(...runs));
}

async function timeLarge(): Promise<QrLargeFigure[]> {
  const small = 400; // the code 10% of the frame's width, as when a phone photographs a screen from arm's length
  const photos: [string, () => Promise<Uint8Array> | Uint8Array][] = [
    ['12 MP JPEG (noise) with a code', () => syntheticPhoto(4000, 3000, true)],
    ['12 MP JPEG (noise), no code', () => syntheticPhoto(4000, 3000, false)],
    ['2 MP JPEG (noise), no code (every pass)', () => syntheticPhoto(1920, 1080, false)],
    ['12 MP JPEG photo, code small in the frame', () => new Uint8Array(encodeJpeg(photoWithCode(small), 90).data)],
    ['12 MP JPEG photo, no code', () => new Uint8Array(encodeJpeg(photoWithCode(0), 90).data)],
    ['12 MP HEIC photo, code small in the frame', () => toHeif(photoWithCode(small), 'heic', 70)],
    ['12 MP HEIC photo, no code', () => toHeif(photoWithCode(0), 'heic', 70)],
    ['12 MP WebP photo, code small in the frame', () => toWebp(photoWithCode(small), { quality: 80 })],
    ['12 MP AVIF photo, code small in the frame', () => toHeif(photoWithCode(small), 'avif', 70)],
    ['12 MP AVIF photo, no code', () => toHeif(photoWithCode(0), 'avif', 70)],
  ];
  const figures: QrLargeFigure[] = [];
  for (const [picture, make] of photos) {
    const image = await make();
    const header = readImageHeader(image);
    await scanQrImage(image); // warm: each decoder's wasm is compiled on first use
    const t0 = performance.now();
    const scan = await scanQrImage(image);
    const ms = performance.now() - t0;
    let decodeOnlyMs: QrLargeFigure['decodeOnlyMs'] = '-';
    let reducedDecodeMs: QrLargeFigure['reducedDecodeMs'] = '-';
    if (header.format !== 'png' && header.width * header.height > 4_000_000) {
      const pixelHeader = header as typeof header & { format: PixelFormat };
      decodeOnlyMs = await bestOf2(() => decodePixels(image, pixelHeader));
      if (header.format === 'jpeg') reducedDecodeMs = await bestOf2(async () => (await new Picture(image, header).reduced())?.image);
    }
    const megapixels = round((header.width * header.height) / 1e6);
    figures.push({ picture, megapixels, found: scan.texts.length, pass: scan.pass ?? 'none', ms: Math.round(ms), decodeOnlyMs, reducedDecodeMs });
  }
  return figures;
}

/**
 * Runs the corpus through the full pass list (and each pass alone), and returns the figures.
 *
 * @param options - what to run and whether to print
 * @example
 * const { total } = await runQrBench({ alone: false, large: false, print: false }); // total.ok: 139
 */
export async function runQrBench(options: QrBenchOptions = {}): Promise<QrBenchFigures> {
  const { alone = true, large = true, print = true } = options;
  const cases = loadQrCases();
  await runCase(cases[0]); // warm-up: instantiates the wasm

  const runs: CaseRun[] = [];
  for (const qrCase of cases) runs.push(await runCase(qrCase));
  const sets = [...new Set(cases.map((c) => c.set))].map((set) => setFigure(set, runs.filter((r) => r.qrCase.set === set)));
  const total = setFigure('total', runs);
  const wonBy = Object.fromEntries(QR_PASSES.map((p) => [p.name, runs.filter((r) => r.verdict === 'ok' && r.pass === p.name).map((r) => r.qrCase.id)])) as Record<QrPassName, string[]>;
  const missed = runs.filter((r) => r.verdict === 'miss').map((r) => r.qrCase.id);
  const misread = runs.filter((r) => r.verdict === 'wrong').map((r) => r.qrCase.id);

  const aloneFigures = {} as QrBenchFigures['alone'];
  for (const pass of alone ? QR_PASSES : []) {
    const passRuns: CaseRun[] = [];
    for (const qrCase of cases) passRuns.push(await runCase(qrCase, [pass]));
    aloneFigures[pass.name] = {
      ok: passRuns.filter((r) => r.verdict === 'ok').length,
      wrong: passRuns.filter((r) => r.verdict === 'wrong').map((r) => r.qrCase.id),
    };
  }
  const largeFigures = large ? await timeLarge() : [];

  const figures: QrBenchFigures = { sets, total, wonBy, missed, misread, alone: aloneFigures, large: largeFigures };
  if (print) printFigures(figures);
  return figures;
}

function printFigures(f: QrBenchFigures): void {
  console.log('\nQR corpus, all passes (ms per picture)');
  console.log(table([...f.sets, f.total].map((s) => ({ ...s }))));
  console.log('\nread by pass (first pass that found a code)');
  const row = (label: string, ids: readonly string[], list = true) => console.log(`  ${label.padEnd(18)} ${String(ids.length).padStart(3)}  ${list ? ids.join(' ') : ''}`);
  // The first pass reads nearly everything: list the cases the later passes add.
  for (const [pass, ids] of Object.entries(f.wonBy)) row(pass, ids, pass !== 'zxing');
  row('missed', f.missed);
  if (f.misread.length > 0) row('MISREAD', f.misread);
  if (Object.keys(f.alone).length > 0) {
    console.log('\neach pass alone');
    console.log(table(Object.entries(f.alone).map(([pass, r]) => ({ pass, ok: r.ok, wrong: r.wrong.length, misread: r.wrong.join(' ') }))));
  }
  if (f.large.length > 0) {
    console.log('\nlarge photos (ms: scanQrImage once warm; decodeOnlyMs: decoding the file to pixels alone, full size; reducedDecodeMs: JPEG decoded reduced to 3 MP)');
    console.log(table(f.large.map((l) => ({ ...l }))));
  }
  console.log('');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runQrBench();
