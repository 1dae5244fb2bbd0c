import type { InvalidSeedError } from '../../errors';
import { DECODER_LIMITS } from './limits';
import { decodePixels, type PixelFormat } from './pixelDecoders';
import { decodeRgba, flattenOverWhite } from './rgba';
import type { ImageHeader, Rgba } from './types';

/** RGBA pixels flattened over white, and whether the picture had transparent pixels. */
export interface Pixels {
  image: Rgba;
  transparent: boolean;
}

/**
 * One picture going through the passes: its file and header, the RGBA pixels decoded once for the
 * passes that need them, and what the decoders made of it, to tell "no QR code" from "not decodable".
 *
 * PNGs and JPEGs up to `minPixelPathJpegPixels` are read by zxing from the file; the pixels are decoded
 * in JavaScript only for the fallback passes, within `maxFallbackPixels`. Other pictures (HEIC, AVIF,
 * WebP, large JPEGs) are decoded to pixels once, in WebAssembly, and every pass reads those.
 */
export class Picture {
  /** Whether zxing decoded the file (undefined until it has tried). */
  zxingLoaded: boolean | undefined;
  /** Pictures zxing cannot read from the file, or should not (see `minPixelPathJpegPixels`). */
  readonly pixelPath: boolean;
  private pixels: Promise<Pixels | undefined> | undefined;
  private pixelsError: InvalidSeedError | undefined;
  private pixelsDone = false;

  constructor(
    readonly bytes: Uint8Array,
    readonly header: ImageHeader,
  ) {
    const { format, width, height } = header;
    this.pixelPath = format !== 'png' && (format !== 'jpeg' || width * height > DECODER_LIMITS.minPixelPathJpegPixels);
  }

  /** Some decoder turned the file into pixels. */
  get decoded(): boolean {
    return this.zxingLoaded === true || (this.pixelsDone && this.pixelsError === undefined);
  }

  /** Why the file could not be decoded to pixels, if it was tried and failed. */
  get decodeError(): InvalidSeedError | undefined {
    return this.pixelsError;
  }

  /**
   * The pixels, decoded on first use; undefined when the decoder refuses the file, or for a PNG/JPEG read
   * from the file over `maxFallbackPixels`.
   */
  rgba(): Promise<Pixels | undefined> {
    this.pixels ??= this.decode().then(
      (pixels) => {
        this.pixelsDone = true;
        return pixels;
      },
      (error: unknown) => {
        this.pixelsDone = true;
        this.pixelsError = error as InvalidSeedError;
        return undefined;
      },
    );
    return this.pixels;
  }

  private async decode(): Promise<Pixels | undefined> {
    const { header } = this;
    if (!this.pixelPath && header.width * header.height > DECODER_LIMITS.maxFallbackPixels) return undefined;
    const image = this.pixelPath ? await decodePixels(this.bytes, header as ImageHeader & { format: PixelFormat }) : decodeRgba(this.bytes, header);
    return { image, transparent: header.format !== 'jpeg' && flattenOverWhite(image) };
  }
}
