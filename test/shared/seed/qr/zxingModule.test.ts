import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeQrTexts } from '../../../../shared/seed/qr';
import { ZXING_WASM_ENV, zxingReady, zxingWasmPath } from '../../../../shared/seed/qr/zxingModule';
import { rejection } from '../helpers';
import { canvas, drawQr, forbidFetch, toPng } from './pictures';

// Tests run in order and share one module instance: the failures come before the successful load.
describe('zxing wasm loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpvault-zxing-'));
  const saved = process.env[ZXING_WASM_ENV];
  let fetchSpy: ReturnType<typeof forbidFetch>;

  beforeAll(() => {
    fetchSpy = forbidFetch();
  });

  afterAll(() => {
    fetchSpy.mockRestore();
    if (saved === undefined) delete process.env[ZXING_WASM_ENV];
    else process.env[ZXING_WASM_ENV] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the reader wasm inside node_modules when OTPVAULT_ZXING_WASM is unset', () => {
    // Act
    const path = zxingWasmPath({});

    // Assess
    expect(path).toMatch(/node_modules\/zxing-wasm\/dist\/reader\/zxing_reader\.wasm$/);
    expect(existsSync(path)).toBe(true);
  });

  it('takes the path from OTPVAULT_ZXING_WASM, trimmed', () => {
    // Act
    const path = zxingWasmPath({ [ZXING_WASM_ENV]: ' /var/task/zxing_reader.wasm ' });

    // Assess
    expect(path).toBe('/var/task/zxing_reader.wasm');
  });

  it('fails with a message naming the path and the variable when the file is missing', async () => {
    // Prepare
    process.env[ZXING_WASM_ENV] = join(dir, 'missing.wasm');

    // Act
    const error = await rejection(zxingReady());

    // Assess
    expect(error.message).toBe(`cannot read the zxing reader wasm at ${join(dir, 'missing.wasm')}; set OTPVAULT_ZXING_WASM to its path`);
  });

  it('refuses a file that is not the wasm this zxing-wasm version was built with', async () => {
    // Prepare
    process.env[ZXING_WASM_ENV] = join(dir, 'other.wasm');
    writeFileSync(join(dir, 'other.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

    // Act
    const error = await rejection(zxingReady());

    // Assess
    expect(error.message).toMatch(/other\.wasm is not the zxing reader wasm that zxing-wasm expects \(sha256 [0-9a-f]{64}, expected [0-9a-f]{64}\)$/);
  });

  it('loads the wasm copied next to a bundle, as in Lambda, and reads QR codes without the network', async () => {
    // Prepare
    const copy = join(dir, 'zxing_reader.wasm');
    copyFileSync(zxingWasmPath({}), copy);
    process.env[ZXING_WASM_ENV] = copy;
    const picture = canvas(200, 200);
    await drawQr(picture, 'otpauth://totp/lambda?secret=JBSWY3DPEHPK3PXP', 20, 20);

    // Act
    await zxingReady();
    const texts = await decodeQrTexts(toPng(picture));

    // Assess
    expect(texts).toEqual(['otpauth://totp/lambda?secret=JBSWY3DPEHPK3PXP']);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
