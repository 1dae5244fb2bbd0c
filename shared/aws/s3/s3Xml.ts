/**
 * The few S3 XML documents the archive reads (error bodies, ListObjectVersions and ListObjectsV2
 * pages), read by element name instead of by a general XML parser: S3's documents are flat and
 * their element names fixed, and a parser would cost the bundle what the SDK client did. Anything
 * outside what S3 sends (a DTD, an entity it never uses, CDATA, a document of another kind) is
 * refused rather than guessed at, so a truncated or foreign body can never read as an empty page.
 */

/** A body that is not the S3 document it should be. */
export class MalformedS3XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedS3XmlError';
  }
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text content with XML's predefined entities and character references replaced. */
export function decodeXmlText(text: string): string {
  if (text.includes('<')) throw new MalformedS3XmlError('markup inside an element S3 fills with text');
  return text.replace(/&([^;&\s]{1,10});/g, (_, name: string) => {
    if (name in PREDEFINED) return PREDEFINED[name]!;
    const code = /^#x([0-9a-f]{1,6})$/i.exec(name)?.[1] ?? /^#([0-9]{1,7})$/.exec(name)?.[1];
    const point = code === undefined ? NaN : name.startsWith('#x') || name.startsWith('#X') ? parseInt(code, 16) : parseInt(code, 10);
    if (!Number.isInteger(point) || point > 0x10ffff) throw new MalformedS3XmlError(`unknown entity &${name};`);
    return String.fromCodePoint(point);
  });
}

/** Refuses what S3 never sends and a general parser would act on: DTDs (entity expansion) and CDATA. */
function checked(xml: string, root: string): string {
  if (/<!DOCTYPE|<!ENTITY|<!\[CDATA\[/i.test(xml)) throw new MalformedS3XmlError('DTDs and CDATA are not part of S3 documents');
  const body = xml.replace(/^\uFEFF?\s*(<\?xml[^>]*\?>)?\s*/, '');
  if (!new RegExp(`^<${root}(\\s[^>]*)?>[\\s\\S]*</${root}>\\s*$`).test(body)) throw new MalformedS3XmlError(`not a <${root}> document`);
  return body;
}

/** Every `<name>…</name>` (or `<name/>`) in `xml`, as its inner markup. Elements S3 sends are never nested in themselves. */
function elements(xml: string, name: string): string[] {
  const found: string[] = [];
  for (const match of xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${name}>)`, 'g'))) found.push(match[1] ?? '');
  return found;
}

/** The text of the first `<name>` in `xml`, if there is one. */
function text(xml: string, name: string): string | undefined {
  const [inner] = elements(xml, name);
  return inner === undefined ? undefined : decodeXmlText(inner);
}

/** `xml` without its `<name>` elements: what is left are the page's own fields. */
function without(xml: string, ...names: string[]): string {
  return names.reduce((rest, name) => rest.replace(new RegExp(`<${name}(?:\\s[^>]*)?(?:/>|>[\\s\\S]*?</${name}>)`, 'g'), ''), xml);
}

function truncated(page: string): boolean {
  const value = text(page, 'IsTruncated');
  if (value !== 'true' && value !== 'false') throw new MalformedS3XmlError('IsTruncated is neither true nor false');
  return value === 'true';
}

/** S3's `<Error>` document: its code and message, or undefined when the body is not one (a proxy's page, nothing). */
export function readS3Error(xml: string): { code: string; message?: string } | undefined {
  try {
    const body = checked(xml, 'Error');
    const code = text(body, 'Code');
    return code ? { code, message: text(body, 'Message') } : undefined;
  } catch {
    return undefined;
  }
}

export interface ObjectVersion {
  key: string;
  versionId: string;
}

export interface VersionsPage {
  /** In S3's order: by key, each key's versions newest first. Delete markers are not versions. */
  versions: ObjectVersion[];
  /** Where the next page starts, when this one is truncated. */
  next?: { keyMarker: string; versionIdMarker: string };
}

/**
 * One ListObjectVersions page (`<ListVersionsResult>`).
 *
 * @throws MalformedS3XmlError when the body is not such a page, or a truncated one says not where to go on.
 */
export function readVersionsPage(xml: string): VersionsPage {
  const body = checked(xml, 'ListVersionsResult');
  const versions = elements(body, 'Version').map((version) => {
    const key = text(version, 'Key');
    const versionId = text(version, 'VersionId');
    if (key === undefined || versionId === undefined) throw new MalformedS3XmlError('a Version without Key or VersionId');
    return { key, versionId };
  });
  const page = without(body, 'Version', 'DeleteMarker');
  if (!truncated(page)) return { versions };
  const keyMarker = text(page, 'NextKeyMarker');
  if (!keyMarker) throw new MalformedS3XmlError('a truncated versions page without NextKeyMarker');
  return { versions, next: { keyMarker, versionIdMarker: text(page, 'NextVersionIdMarker') ?? '' } };
}

export interface KeysPage {
  keys: string[];
  /** The continuation token of the next page, when this one is truncated. */
  next?: string;
}

/**
 * One ListObjectsV2 page (`<ListBucketResult>`).
 *
 * @throws MalformedS3XmlError when the body is not such a page, or a truncated one has no continuation token.
 */
export function readKeysPage(xml: string): KeysPage {
  const body = checked(xml, 'ListBucketResult');
  const keys = elements(body, 'Contents').map((object) => {
    const key = text(object, 'Key');
    if (key === undefined) throw new MalformedS3XmlError('Contents without a Key');
    return key;
  });
  const page = without(body, 'Contents', 'CommonPrefixes');
  if (!truncated(page)) return { keys };
  const next = text(page, 'NextContinuationToken');
  if (!next) throw new MalformedS3XmlError('a truncated listing without NextContinuationToken');
  return { keys, next };
}
