import { decoderWasm } from './decoderWasmLoader';
import { decodeJpegLuma, scaledSize, type JpegScale } from './jpegTurbo';
import { corrupt } from './pictureErrors';
import { holdsItsSize } from './pgm';
import { FORMAT_NAMES, type ImageHeader, type Pixmap, type Rgba } from './types';

/** The formats decoded to pixels here, in WebAssembly; zxing reads PNG and smaller JPEGs itself. */
export type PixelFormat = Exclude<ImageHeader['format'], 'png'>;

interface Decoded {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

type Decode = (bytes: Uint8Array) => Promise<Decoded>;

/** Each format's decoder, loaded (module and .wasm) on first use: a function reading PNGs never loads them. */
const LOADERS: Record<Exclude<PixelFormat, 'jpeg'>, () => Promise<Decode>> = {
  heic: async () => {
    const decoder = await decoderWasm.heic();
    return (bytes) => decoder.one({ buffer: bytes });
  },
  webp: async () => {
    const decode = await decoderWasm.webp();
    return (bytes) => decode(copyOf(bytes));
  },
  avif: async () => {
    const decode = await decoderWasm.avif();
    return (bytes) => decode(copyOf(bytes));
  },
};

/** The jsquash decoders take an ArrayBuffer of the file alone. */
const copyOf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

/**
 * Decodes a HEIC (libheif-js), WebP, AVIF (jSquash: libwebp, libavif with dav1d) picture to RGBA, or a
 * JPEG (libjpeg-turbo) to its grey luminance (see `decodeJpegLuma`), once its header has passed the byte
 * and pixel limits. A JPEG can be reduced while decoding (`scale`). The decoded size must be the declared one, or
 * for a reduced JPEG its known reduction (`scaledSize`; HEIC may come out turned by its `irot`), so what
 * the limits checked is what was allocated for the passes.
 *
 * @param bytes - the file
 * @param header - its header, from `readImageHeader`
 * @param scale - JPEG only: decode at 1/2, 1/4 or 1/8 of the size (DCT scaling)
 * @throws InvalidSeedError - the decoder rejects the file, or its pixels are not the size the header declared
 * @example
 * const { data, width, height } = await decodePixels(webp, readImageHeader(webp));
 * const reduced = await decodePixels(jpeg, readImageHeader(jpeg), 2); // 2000x1500 for 4000x3000
 */
export async function decodePixels(bytes: Uint8Array, header: ImageHeader & { format: PixelFormat }, scale: JpegScale = 1): Promise<Pixmap> {
  const name = FORMAT_NAMES[header.format];
  if (scale !== 1 && header.format !== 'jpeg') throw new Error(`only JPEG is decoded reduced, not ${name}`);
  let image: Pixmap;
  if (header.format === 'jpeg') {
    image = await decodeJpegLuma(bytes, header, scale); // refuses a corrupt file in the same words
  } else {
    const decode = await LOADERS[header.format](); // a missing .wasm is a deployment fault, not the file's
    try {
      const { data, width, height } = await decode(bytes);
      image = { data, width, height };
    } catch {
      // The decoder's message can quote file internals; ours says what the caller needs to know.
      throw corrupt(`its ${name} data cannot be decoded`);
    }
  }
  const { width, height } = image;
  const expected = scaledSize(header, scale);
  const turned = header.format === 'heic' && width === header.height && height === header.width;
  if (!((width === expected.width && height === expected.height) || turned) || !holdsItsSize(image)) {
    throw corrupt(`its ${name} pixels are not the ${header.width}x${header.height} its header declares`);
  }
  return image;
}
