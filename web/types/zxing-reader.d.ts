/**
 * Type-check stand-in for `zxing-wasm/reader` in the console's project only. The console imports the
 * route table for its types, which reaches the server's picture decoder; under the DOM library,
 * zxing's `ImageData` parameter means the browser's type, which the decoder's RGBA buffers are not.
 * The root project checks that module against the real declaration; nothing of it is bundled here.
 */
export * from '../../node_modules/zxing-wasm/dist/es/reader/index.js';
import type { ReaderOptions, ReadResult } from '../../node_modules/zxing-wasm/dist/es/reader/index.js';
export declare function readBarcodes(input: Uint8Array | { data: Uint8ClampedArray; width: number; height: number }, readerOptions?: ReaderOptions): Promise<ReadResult[]>;
