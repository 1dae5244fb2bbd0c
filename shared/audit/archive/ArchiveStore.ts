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

export interface ArchiveStore {
  /** Writes an object (a new version where one exists). */
  put(key: string, body: Buffer, options: PutOptions): Promise<void>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Whether the key exists (without reading it). */
  exists(key: string): Promise<boolean>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}
