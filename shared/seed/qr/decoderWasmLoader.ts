import { onceAsync, readDecoderWasm, type DecoderWasm } from './decoderWasm';

/** The Emscripten-built decoders, each instantiated once from its local .wasm (never fetched). */
export const decoderWasm = {
  heic: onceAsync(async () => {
    const [{ default: libheif }, { default: heicDecoder }] = await Promise.all([import('libheif-js/libheif-wasm/libheif.js'), import('heic-decode/lib.js')]);
    return heicDecoder(libheif({ wasmBinary: await readDecoderWasm('heic') }));
  }),
  webp: onceAsync(async () => {
    const { default: decode, init } = await import('@jsquash/webp/decode.js');
    await init({ wasmBinary: await readDecoderWasm('webp') });
    return decode;
  }),
  avif: onceAsync(async () => {
    const { default: decode, init } = await import('@jsquash/avif/decode.js');
    await init({ wasmBinary: await readDecoderWasm('avif') });
    return decode;
  }),
} satisfies Record<Exclude<DecoderWasm, 'jpeg'>, () => Promise<unknown>>; // JPEG: jpegTurbo.ts, no JS glue
