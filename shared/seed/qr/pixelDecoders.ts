import { decoderWasm } from './decoderWasmLoader';
import { corrupt } from './pictureErrors';
import { FORMAT_NAMES, type ImageHeader, type Rgba } from './types';

/** The formats decoded to pixels here, in WebAssembly; zxing reads PNG and smaller JPEGs itself. */
export type PixelFormat = Exclude<ImageHeader['format'], 'png'>;

interface Decoded {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

type Decode = (bytes: Uint8Array) => Promise<Decoded>;

/** Each format's decoder, loaded (module and .wasm) on first use: a function reading PNGs never loads them. */
const LOADERS: Record<PixelFormat, () => Promise<Decode>> = {
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
  jpeg: async () => {
    const decode = await decoderWasm.jpeg();
    // Pixels as stored, like zxing's own decoding: the EXIF orientation is the header's.
    return (bytes) => decode(copyOf(bytes), { preserveOrientation: true });
  },
};

/** The jsquash decoders take an ArrayBuffer of the file alone. */
const copyOf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

/**
 * Decodes a HEIC (libheif-js), WebP, AVIF or JPEG (jSquash: libwebp, libavif with dav1d, MozJPEG) picture
 * to RGBA, once its header has passed the byte and pixel limits. The decoded size must be the declared one
 * (HEIC may come out turned by its `irot`), so what the limits checked is what was allocated for the passes.
 *
 * @param bytes - the file
 * @param header - its header, from `readImageHeader`
 * @throws InvalidSeedError - the decoder rejects the file, or its pixels are not the size the header declared
 * @example
 * const { data, width, height } = await decodePixels(webp, readImageHeader(webp));
 */
export async function decodePixels(bytes: Uint8Array, header: ImageHeader & { format: PixelFormat }): Promise<Rgba> {
  const name = FORMAT_NAMES[header.format];
  const decode = await LOADERS[header.format](); // a missing .wasm is a deployment fault, not the file's
  let image: Decoded;
  try {
    image = await decode(bytes);
  } catch {
    // The decoder's message can quote file internals; ours says what the caller needs to know.
    throw corrupt(`its ${name} data cannot be decoded`);
  }
  const { width, height } = image;
  const turned = header.format === 'heic' && width === header.height && height === header.width;
  if (!((width === header.width && height === header.height) || turned) || image.data.length !== width * height * 4) {
    throw corrupt(`its ${name} pixels are not the ${header.width}x${header.height} its header declares`);
  }
  return { data: image.data, width, height };
}
