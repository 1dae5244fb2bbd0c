/** Size limits of picture decoding, checked on the file and its header before any pixel is decoded. */
export const QR_LIMITS = {
  /**
   * Largest picture accepted, in bytes. Its base64 (4/3 of this, plus the JSON around it) stays under the
   * 6 MB payload limit of a synchronous Lambda invocation.
   */
  maxImageBytes: 4_400_000,
  /** Largest width x height a header may declare (a 12 MP phone photo is 12_000_000). */
  maxPixels: 40_000_000,
};

/** Internal bounds on the fallback decoders and on what a header may ask of a decoder. */
export const DECODER_LIMITS = {
  /**
   * Largest picture decoded to RGBA in JavaScript (pngjs / jpeg-js) for the fallback passes. jpeg-js needs
   * about 1 s and 190 MB for 4 MP here, 2.4 s and 550 MB for 12 MP; bigger pictures (phone photos) are read
   * by zxing only, which decodes the file itself and tries its own downscaled copies. 2.1 MP covers a
   * 1920x1080 screenshot and any QR image saved from a web page.
   */
  maxFallbackPixels: 2_100_000,
  /**
   * jsQR reads a copy averaged down to at most this many pixels. Its locator compares finder-pattern
   * candidates pairwise, so noise makes it slow: 1.3 s for 0.3 MP of noise, 36 s for 4 MP (loaded machine).
   */
  maxJsqrPixels: 500_000,
  /** jpeg-js's own accounting for a 2.1 MP JPEG stays well under this (73 MB measured for 4 MP). */
  maxJpegJsMemoryMb: 128,
  /**
   * A progressive JPEG can make a decoder walk every block once per scan while each scan costs the file a
   * few bytes (end-of-band runs): thousands of scans are a CPU bomb. Encoders write about 10.
   */
  maxJpegScans: 100,
  /**
   * JPEGs over this many pixels (phone photos) are decoded to pixels with libjpeg-turbo (WebAssembly), and
   * every pass reads those pixels: zxing decoding the file itself would decode it again in each pass
   * (stb_image: about 80 ms for 12 MP here) and can only search the full picture first (185 ms).
   */
  minPixelPathJpegPixels: 4_000_000,
  /**
   * Pictures decoded to pixels and larger than this are first searched on a copy of at most this many
   * pixels (a 12 MP photo: 3 MP, 40 ms against 185 ms in full). A JPEG is reduced while decoding (DCT
   * scaling by 1/2, 1/4 or 1/8: about a third of the full decode for 1/2), other formats are averaged down
   * from the full decode. Only a code too small for the copy is left to the full-size search that follows.
   */
  maxReducedPixels: 3_000_000,
} as const;
