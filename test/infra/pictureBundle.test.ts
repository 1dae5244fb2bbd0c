import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ZXING_WASM_FILE } from '../../infra/constructs/vaultLambda';
import { stackBuildOptions } from '../../infra/esbuildApiOptions';
import { decoderWasmFiles, REPO_ROOT, zxingReaderWasmPath } from '../../infra/projectPaths';
import { DECODER_WASM_DIR_ENV } from '../../shared/seed/qr/decoderWasm';
import { ZXING_WASM_ENV } from '../../shared/seed/qr/zxingModule';
import { photoCanvas, toHeif, toWebp } from '../shared/seed/qr/phonePictures';
import { canvas, drawQr, toJpeg } from '../shared/seed/qr/pictures';

const SEED_URI = 'otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME';

/**
 * The picture decoders as a Lambda runs them: bundled by esbuild with the stack's own options, in a folder
 * with no node_modules above it, the .wasm files copied beside the bundle the way the stack's bundling
 * hook copies them, and the stack's environment variables pointing there (`/var/task` in Lambda).
 */
describe('picture decoders bundled as in a Lambda', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpvault-bundle-'));

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('read HEIC, WebP, AVIF and a large JPEG with only the bundle and the copied .wasm files', async () => {
    // Prepare
    await build({ ...stackBuildOptions(), entryPoints: [join(REPO_ROOT, 'shared/seed/qr/index.ts')], outfile: join(dir, 'index.mjs') });
    copyFileSync(zxingReaderWasmPath(), join(dir, ZXING_WASM_FILE));
    for (const { file, source } of decoderWasmFiles()) copyFileSync(source, join(dir, file));
    const screenshot = canvas(300, 240);
    await drawQr(screenshot, SEED_URI, 30, 30);
    const photo = photoCanvas(2400, 1800); // over 4 MP: the libjpeg-turbo path
    await drawQr(photo, SEED_URI, 1500, 600, 6);
    const pictures = {
      'screenshot.webp': await toWebp(screenshot, { lossless: true }),
      'photo.heic': toHeif(screenshot, 'heic'),
      'photo.avif': toHeif(screenshot, 'avif'),
      'photo.jpg': toJpeg(photo),
    };
    for (const [name, bytes] of Object.entries(pictures)) writeFileSync(join(dir, name), bytes);
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { readFileSync } from 'node:fs';
       import { decodeQrTexts } from './index.mjs';
       globalThis.fetch = () => { throw new Error('no network in this test'); };
       const out = {};
       for (const name of ${JSON.stringify(Object.keys(pictures))}) out[name] = await decodeQrTexts(new Uint8Array(readFileSync(name)));
       console.log(JSON.stringify(out));`,
    );

    // Act
    const run = spawnSync(process.execPath, ['run.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, [ZXING_WASM_ENV]: join(dir, ZXING_WASM_FILE), [DECODER_WASM_DIR_ENV]: dir },
    });

    // Assess
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(Object.fromEntries(Object.keys(pictures).map((name) => [name, [SEED_URI]])));
  });
});
