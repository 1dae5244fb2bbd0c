/** Types for heic-decode's decoder over a libheif-js instance the caller builds (its `index.js` builds its own). */
declare module 'heic-decode/lib.js' {
  interface HeicImage {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  interface HeicDecoder {
    one(input: { buffer: Uint8Array }): Promise<HeicImage>;
  }
  export default function heicDecoder(libheif: unknown): HeicDecoder;
}

/** libheif-js's WebAssembly build: an Emscripten factory taking the .wasm bytes. */
declare module 'libheif-js/libheif-wasm/libheif.js' {
  export default function libheifFactory(options: { wasmBinary: ArrayBuffer | Uint8Array }): unknown;
}
