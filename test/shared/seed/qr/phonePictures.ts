import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import encodeWebpWith, { init as initWebpEncoder } from '@jsquash/webp/encode.js';
import { toPng } from './encodePictures';
import type { Canvas } from './pictures';

/**
 * Test pictures in the formats phones make, encoded by independent encoders: WebP with libwebp (jSquash,
 * its .wasm from node_modules), HEIC (x265) and AVIF (libaom) with libheif's `heif-enc`, which
 * scripts/test-prerequisites.sh installs (Debian: libheif-examples).
 */

let webpEncoder: Promise<void> | undefined;

/** A WebP of the canvas: lossy (a phone camera) by default, or lossless (a screenshot). */
export async function toWebp(picture: Canvas, { lossless = false, quality = 90 } = {}): Promise<Uint8Array> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc_simd.wasm'));
  webpEncoder ??= initWebpEncoder({ wasmBinary: wasm }).then(() => undefined);
  await webpEncoder;
  const data = new Uint8ClampedArray(picture.data.buffer, picture.data.byteOffset, picture.data.byteLength);
  return new Uint8Array(await encodeWebpWith({ data, width: picture.width, height: picture.height, colorSpace: 'srgb' }, { lossless: lossless ? 1 : 0, quality }));
}

/** A HEIC (HEVC) or AVIF (AV1) of the canvas, encoded by `heif-enc`. */
export function toHeif(picture: Canvas, format: 'heic' | 'avif', quality = 80): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'otpvault-heif-'));
  try {
    // The PNG only carries the pixels to heif-enc, which decodes it: no row filters (pngjs's search for
    // the best one took seconds in jest's vm context) and little compression, the same pixels either way.
    writeFileSync(join(dir, 'in.png'), toPng(picture, { deflateLevel: 1, filterType: 0 }));
    const out = join(dir, `out.${format}`);
    const speed = format === 'avif' ? ['-A', '-p', 'speed=9'] : ['-p', 'preset=ultrafast'];
    // heif-enc keeps a PNG's alpha channel as an auxiliary image (its own ispe); a photo has none.
    const run = spawnSync('heif-enc', [...speed, '--no-alpha', '-q', String(quality), '-o', out, join(dir, 'in.png')], { encoding: 'utf8' });
    if (run.error || run.status !== 0) {
      throw new Error(`heif-enc failed (${run.error?.message ?? run.stderr}); run scripts/test-prerequisites.sh (Debian: apt-get install libheif-examples)`);
    }
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The photos drawn so far in this test file, by size: each is the same pixels, and costs about a second at 12 MP. */
const photos = new Map<string, Buffer>();

/**
 * A phone-photo-sized canvas: a smooth gradient with a little noise (it compresses like a photo, unlike
 * pure noise), on which a test draws its code. A fresh copy each time, so no test sees another's codes.
 */
export function photoCanvas(width: number, height: number): Canvas {
  const key = `${width}x${height}`;
  let photo = photos.get(key);
  if (!photo) {
    photo = drawPhoto(width, height);
    photos.set(key, photo);
  }
  return { data: Buffer.from(photo), width, height };
}

function drawPhoto(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  // A local name: jest runs tests in a vm context, where reading the global `Math` 12 million times
  // takes seconds.
  const { round } = Math;
  let seed = 42;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const v = 120 + round((80 * x) / width + (40 * y) / height) + (seed >>> 29);
      const i = (y * width + x) * 4;
      data[i] = v;
      data[i + 1] = v - 10;
      data[i + 2] = v - 20;
      data[i + 3] = 255;
    }
  }
  return data;
}
