/** QR codes in user pictures (PNG/JPEG): size limits checked on the header, then zxing-wasm with fallbacks. */
export { QR_LIMITS } from './limits';
export { decodeQrTexts } from './decodeQrTexts';
