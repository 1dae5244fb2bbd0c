import { InvalidSeedError } from '../../errors';
import type { JpegScale } from './jpegTurbo';
import { DECODER_LIMITS } from './limits';
import { decodePixels, type PixelFormat } from './pixelDecoders';
import { decodeRgba, downscaleRgba, flattenOverWhite } from './rgba';
import { isPgm } from './pgm';
import type { ImageHeader, Pixmap } from './types';

/** The pixels (RGBA flattened over white, or a large JPEG's grey), and whether any was transparent. */
export interface Pixels {
  image: Pixmap;
  transparent: boolean;
}

/** A reduced copy of a large picture, and how many full-size pixels one of its pixels stands for, per side. */
export interface Reduced {
  image: Pixmap;
  factor: number;
}

/** A decode run once, remembering whether it ran, what it made and why it failed. */
class Decoding<T> {
  private result: Promise<T | undefined> | undefined;
  done = false;
  made = false;
  error: InvalidSeedError | undefined;

  run(decode: () => Promise<T | undefined>): Promise<T | undefined> {
    this.result ??= decode().then(
      (value) => {
        this.done = true;
        this.made = value !== undefined;
        return value;
      },
      (error: unknown) => {
        this.done = true;
        if (!(error instanceof InvalidSeedError)) throw error; // a deployment fault, not the file's
        this.error = error;
        return undefined;
      },
    );
    return this.result;
  }
}

/**
 * One picture going through the passes: its file and header, the RGBA pixels decoded once for the
 * passes that need them, and what the decoders made of it, to tell "no QR code" from "not decodable".
 *
 * PNGs and JPEGs up to `minPixelPathJpegPixels` are read by zxing from the file; the pixels are decoded
 * in JavaScript only for the fallback passes, within `maxFallbackPixels`. Other pictures (HEIC, AVIF,
 * WebP, large JPEGs) are decoded to pixels once, in WebAssembly, and every pass reads those. Those over
 * `maxReducedPixels` are searched on a reduced copy first; a large JPEG is decoded reduced to begin with,
 * and in full only if the reduced copy holds no code.
 */
export class Picture {
  /** Whether zxing decoded the file (undefined until it has tried). */
  zxingLoaded: boolean | undefined;
  /** Pictures zxing cannot read from the file, or should not (see `minPixelPathJpegPixels`). */
  readonly pixelPath: boolean;
  /** Pixel-path pictures over `maxReducedPixels`: searched on a reduced copy before the full size. */
  readonly searchedReduced: boolean;
  private readonly full = new Decoding<Pixels>();
  private readonly reducedCopy = new Decoding<Reduced>();

  constructor(
    readonly bytes: Uint8Array,
    readonly header: ImageHeader,
  ) {
    const { format, width, height } = header;
    this.pixelPath = format !== 'png' && (format !== 'jpeg' || width * height > DECODER_LIMITS.minPixelPathJpegPixels);
    this.searchedReduced = this.pixelPath && width * height > DECODER_LIMITS.maxReducedPixels;
  }

  /** Some decoder turned the file into pixels. */
  get decoded(): boolean {
    return this.zxingLoaded === true || (this.full.done && this.full.error === undefined) || this.reducedCopy.made;
  }

  /** Whether the full-size pixels were decoded (or tried): a large JPEG whose reduced copy held a code never is. */
  get fullSizeDecoded(): boolean {
    return this.full.done;
  }

  /** Why the file could not be decoded to pixels, if it was tried and failed. */
  get decodeError(): InvalidSeedError | undefined {
    return this.full.error ?? this.reducedCopy.error;
  }

  /**
   * The full-size pixels, decoded on first use: grey for a large JPEG, RGBA for the others; undefined
   * when the decoder refuses the file, or for a PNG/JPEG read from the file over `maxFallbackPixels`.
   */
  pixels(): Promise<Pixels | undefined> {
    return this.full.run(async () => {
      const { header } = this;
      if (!this.pixelPath && header.width * header.height > DECODER_LIMITS.maxFallbackPixels) return undefined;
      const image = this.pixelPath ? await decodePixels(this.bytes, header as ImageHeader & { format: PixelFormat }) : decodeRgba(this.bytes, header);
      return { image, transparent: !isPgm(image) && header.format !== 'jpeg' && flattenOverWhite(image) };
    });
  }

  /**
   * A copy of at most `maxReducedPixels` of a picture that is `searchedReduced` (undefined for the others,
   * or when the decoder refuses the file): a JPEG decoded reduced by the largest of 1/2, 1/4, 1/8 that fits,
   * any other format averaged down from its full-size pixels.
   */
  reduced(): Promise<Reduced | undefined> {
    if (!this.searchedReduced) return Promise.resolve(undefined);
    return this.reducedCopy.run(async () => {
      const { header } = this;
      if (header.format === 'jpeg') {
        const scale = jpegScale(header);
        return { image: await decodePixels(this.bytes, { ...header, format: 'jpeg' }, scale), factor: scale };
      }
      const pixels = await this.pixels();
      return pixels && !isPgm(pixels.image) ? downscaleRgba(pixels.image, DECODER_LIMITS.maxReducedPixels) : undefined;
    });
  }
}

/** The least reduction (1/2, 1/4, 1/8) that brings a JPEG within `maxReducedPixels` (1/8 at the 40 MP limit). */
function jpegScale({ width, height }: ImageHeader): JpegScale {
  const fits = (scale: number) => Math.ceil(width / scale) * Math.ceil(height / scale) <= DECODER_LIMITS.maxReducedPixels;
  return fits(2) ? 2 : fits(4) ? 4 : 8;
}
