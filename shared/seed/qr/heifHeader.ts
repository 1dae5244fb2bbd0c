import { corrupt, notAnImage } from './pictureErrors';
import type { ImageHeader } from './types';

/** Brands (ISO/IEC 23008-12, AV1-ISOBMFF) of still images in a HEIF container. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
/** `irot` turns counter-clockwise by 90° steps; the EXIF orientation that displays the same. */
const IROT_TO_EXIF = [1, 8, 3, 6] as const;
/** Boxes are nested a few levels deep (meta > iprp > ipco > ispe); more is a malformed or hostile file. */
const MAX_BOXES = 10_000;

interface Box {
  type: string;
  /** Payload start and end (after the box header). */
  body: number;
  end: number;
}

const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number): number => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const fourCc = (b: Uint8Array, at: number): string => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

/** Whether the file starts with an ISOBMFF `ftyp` box (HEIC, AVIF, but also MP4: the brands decide). */
export const isIsobmff = (bytes: Uint8Array): boolean => bytes.length >= 12 && fourCc(bytes, 4) === 'ftyp';

/** The boxes directly inside `[from, to)`. */
function boxes(bytes: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  for (let at = from; at < to; ) {
    if (out.length >= MAX_BOXES || at + 8 > to) throw corrupt('its HEIF boxes are truncated');
    let size = u32(bytes, at);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) throw corrupt('its HEIF boxes are truncated');
      // 64-bit size: a picture within the byte limit never needs the high word.
      if (u32(bytes, at + 8) !== 0) throw corrupt('a HEIF box is larger than the file');
      size = u32(bytes, at + 12);
      body = at + 16;
    } else if (size === 0) size = to - at;
    const end = at + size;
    if (end > to || end < body) throw corrupt('a HEIF box is larger than the file');
    out.push({ type: fourCc(bytes, at + 4), body, end });
    at = end;
  }
  return out;
}

/** The first box of `type` inside `box`, whose own fields take `skip` bytes (4 for a full box). */
const child = (bytes: Uint8Array, box: Box | undefined, type: string, skip = 0): Box | undefined =>
  box && boxes(bytes, box.body + skip, box.end).find((b) => b.type === type);
const FULL_BOX = 4;

/**
 * Reads a HEIC or AVIF picture's size from its HEIF boxes, without decoding: the primary item (`pitm`),
 * its type (`iinf`: `hvc1` HEVC, `av01` AV1, or a `grid` of tiles), and the `ispe` property `ipma`
 * associates with it (the size of the whole image, a grid's too). HEIC's orientation is 1: libheif applies
 * `irot` when decoding. AVIF's decoder does not, so its `irot` becomes the EXIF orientation that says the same.
 *
 * @param bytes - a file that `isIsobmff` accepted
 * @throws InvalidSeedError - not a still HEIC/AVIF picture, or boxes that are truncated or inconsistent
 * @example
 * readHeifHeader(heic); // { format: 'heic', width: 4032, height: 3024, orientation: 1 }
 */
export function readHeifHeader(bytes: Uint8Array): ImageHeader {
  const [ftyp, ...rest] = boxes(bytes, 0, bytes.length);
  if (ftyp.end - ftyp.body < 8) throw corrupt('its HEIF file type box is truncated');
  const brands = new Set([fourCc(bytes, ftyp.body)]);
  for (let at = ftyp.body + 8; at + 4 <= ftyp.end; at += 4) brands.add(fourCc(bytes, at));
  const brandFormat = [...brands].some((b) => AVIF_BRANDS.has(b)) ? 'avif' : [...brands].some((b) => HEIC_BRANDS.has(b)) ? 'heic' : undefined;
  if (!brandFormat) throw notAnImage(); // an MP4 or another ISOBMFF file

  const meta = rest.find((b) => b.type === 'meta');
  if (!meta) throw corrupt('its HEIF meta box is missing');
  const pitm = child(bytes, meta, 'pitm', FULL_BOX);
  if (!pitm) throw corrupt('its HEIF primary item is missing');
  const primary = bytes[pitm.body] === 0 ? u16(bytes, pitm.body + 4) : u32(bytes, pitm.body + 4);

  const itemType = primaryItemType(bytes, child(bytes, meta, 'iinf', FULL_BOX), primary);
  const format = itemType === 'av01' ? 'avif' : itemType === 'hvc1' ? 'heic' : itemType === 'grid' ? brandFormat : undefined;
  if (!format) throw corrupt(`its HEIF primary image is coded as "${itemType ?? 'nothing'}", not HEVC or AV1`);

  const iprp = child(bytes, meta, 'iprp', FULL_BOX);
  const ipco = child(bytes, iprp, 'ipco');
  const properties = ipco ? boxes(bytes, ipco.body, ipco.end) : [];
  const associated = propertyIndexes(bytes, child(bytes, iprp, 'ipma'), primary).map((i) => properties[i - 1]).filter((p) => p !== undefined);
  const ispe = associated.find((p) => p.type === 'ispe');
  if (!ispe || ispe.end - ispe.body < 12) throw corrupt('its HEIF image size (ispe) is missing');
  const width = u32(bytes, ispe.body + 4);
  const height = u32(bytes, ispe.body + 8);
  if (width === 0 || height === 0) throw corrupt('its HEIF dimensions are invalid');
  const irot = associated.find((p) => p.type === 'irot');
  const orientation = format === 'avif' && irot ? IROT_TO_EXIF[bytes[irot.body] & 3] : 1;
  return { format, width, height, orientation };
}

/** The 4CC type of item `id` in `iinf` (its `infe` entries, version 2 or 3). */
function primaryItemType(bytes: Uint8Array, iinf: Box | undefined, id: number): string | undefined {
  if (!iinf) return undefined;
  const countSize = bytes[iinf.body] === 0 ? 2 : 4;
  for (const infe of boxes(bytes, iinf.body + 4 + countSize, iinf.end)) {
    if (infe.type !== 'infe' || infe.end - infe.body < 12) continue;
    const version = bytes[infe.body];
    if (version < 2) continue;
    const itemId = version === 2 ? u16(bytes, infe.body + 4) : u32(bytes, infe.body + 4);
    const typeAt = infe.body + 4 + (version === 2 ? 2 : 4) + 2;
    if (itemId === id && typeAt + 4 <= infe.end) return fourCc(bytes, typeAt);
  }
  return undefined;
}

/** The 1-based `ipco` indexes `ipma` associates with item `id`. */
function propertyIndexes(bytes: Uint8Array, ipma: Box | undefined, id: number): number[] {
  if (!ipma || ipma.end - ipma.body < 8) return [];
  const version = bytes[ipma.body];
  const wideIndex = (bytes[ipma.body + 3] & 1) === 1;
  const count = u32(bytes, ipma.body + 4);
  let at = ipma.body + 8;
  for (let i = 0; i < count; i++) {
    const idSize = version < 1 ? 2 : 4;
    if (at + idSize + 1 > ipma.end) break;
    const itemId = idSize === 2 ? u16(bytes, at) : u32(bytes, at);
    const associations = bytes[at + idSize];
    at += idSize + 1;
    const indexes: number[] = [];
    for (let j = 0; j < associations && at < ipma.end; j++) {
      indexes.push(wideIndex ? u16(bytes, at) & 0x7fff : bytes[at] & 0x7f);
      at += wideIndex ? 2 : 1;
    }
    if (itemId === id) return indexes;
  }
  return [];
}
