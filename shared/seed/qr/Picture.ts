import type { InvalidSeedError } from '../../errors';
import { DECODER_LIMITS } from './limits';
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
 */
export class Picture {
  /** Whether zxing decoded the file (undefined until it has tried). */
  zxingLoaded: boolean | undefined;
  private pixels: Pixels | undefined;
  private pixelsError: InvalidSeedError | undefined;
  private pixelsTried = false;

  constructor(
    readonly bytes: Uint8Array,
    readonly header: ImageHeader,
  ) {}

  /** Some decoder turned the file into pixels. */
  get decoded(): boolean {
    return this.zxingLoaded === true || this.pixels !== undefined;
  }

  /** Why the file could not be decoded to pixels in JavaScript, if it was tried and failed. */
  get decodeError(): InvalidSeedError | undefined {
    return this.pixelsError;
  }

  /** The pixels, decoded on first use; undefined over `maxFallbackPixels` or when the decoder refuses the file. */
  rgba(): Pixels | undefined {
    if (this.pixelsTried) return this.pixels;
    this.pixelsTried = true;
    if (this.header.width * this.header.height > DECODER_LIMITS.maxFallbackPixels) return undefined;
    try {
      const image = decodeRgba(this.bytes, this.header);
      this.pixels = { image, transparent: flattenOverWhite(image) };
    } catch (error) {
      this.pixelsError = error as InvalidSeedError;
    }
    return this.pixels;
  }
}
