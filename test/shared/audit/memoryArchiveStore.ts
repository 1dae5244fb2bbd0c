import type { ArchiveStore, FirstVersion, PutOptions } from '../../../shared/audit/archive';

/**
 * An in-memory archive bucket (the "fake S3" of the unit tests), with the tamper tools a test
 * needs. `put` writes in place (as if a version's bytes could be changed); `putNewVersion` adds a
 * version, as an overwrite in a versioned bucket does.
 */
export class MemoryArchiveStore implements ArchiveStore {
  readonly objects = new Map<string, { body: Buffer; options: PutOptions }>();
  /** Every put, in order (a re-upload of a key shows up twice). */
  readonly puts: string[] = [];
  /** Each key's versions, oldest first. */
  private readonly versions = new Map<string, Buffer[]>();

  async put(key: string, body: Buffer, options: PutOptions): Promise<void> {
    this.puts.push(key);
    this.objects.set(key, { body: Buffer.from(body), options });
    const versions = this.versions.get(key) ?? [];
    versions.splice(versions.length - 1, 1, Buffer.from(body));
    this.versions.set(key, versions);
  }

  /** A second version under an existing key, as a writer bypassing If-None-Match could make. */
  putNewVersion(key: string, body: Buffer): void {
    const current = this.objects.get(key);
    this.objects.set(key, { body: Buffer.from(body), options: current?.options ?? { contentType: 'application/octet-stream' } });
    this.versions.set(key, [...(this.versions.get(key) ?? []), Buffer.from(body)]);
  }

  async firstVersion(key: string): Promise<FirstVersion | undefined> {
    const versions = this.versions.get(key);
    return versions && versions.length > 0 ? { body: Buffer.from(versions[0]!), versions: versions.length } : undefined;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const found = this.objects.get(key);
    return found && Buffer.from(found.body);
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  /** Removes an object, as someone with delete rights could. */
  delete(key: string): void {
    this.objects.delete(key);
    this.versions.delete(key);
  }

  /** Keys under a prefix. */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}
