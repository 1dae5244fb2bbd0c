/**
 * The archive bucket as the audit pipeline uses it: whole objects in, whole objects out, listing
 * by prefix. The S3 adapter is `S3ArchiveStore`; tests may use an in-memory one.
 */
export interface PutOptions {
  contentType: string;
  contentEncoding?: string;
  /** User metadata (`x-amz-meta-*`). */
  metadata?: Record<string, string>;
}

/** The first version of a key, which the archive's digests vouch for, and how many versions it has. */
export interface FirstVersion {
  body: Buffer;
  versions: number;
}

export interface ArchiveStore {
  /** Writes a new object; refused (throws) when the key already exists: archive objects are write-once. */
  put(key: string, body: Buffer, options: PutOptions): Promise<void>;
  /** The key's first version and its version count, or undefined when there is no such key. */
  firstVersion(key: string): Promise<FirstVersion | undefined>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Whether the key exists (without reading it). */
  exists(key: string): Promise<boolean>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}
