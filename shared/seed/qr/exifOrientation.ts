const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;

/**
 * Reads the EXIF orientation (1..8) from the TIFF structure of a JPEG's `Exif` APP1 segment. Phones store
 * pixels as the sensor saw them and say here how to turn them. Only the reading order of several codes
 * depends on it (a QR code reads at any angle), so anything malformed means 1, never an error.
 *
 * @param tiff - the APP1 payload after `Exif\0\0`
 * @example
 * exifOrientation(app1.subarray(6)); // 6: turn 90° clockwise to display
 */
export function exifOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1;
  const order = String.fromCharCode(tiff[0], tiff[1]);
  if (order !== 'II' && order !== 'MM') return 1;
  const little = order === 'II';
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (view.getUint16(2, little) !== 42) return 1;
  const ifd0 = view.getUint32(4, little);
  if (ifd0 + 2 > tiff.length) return 1;
  const entries = view.getUint16(ifd0, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    const value = view.getUint16(entry + 8, little);
    return view.getUint16(entry + 2, little) === TYPE_SHORT && value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}
