import type { ArchiveStore, PutOptions } from '../../../shared/audit/archive';

/** An in-memory archive bucket (the "fake S3" of the unit tests), with the tamper tools a test needs. */
export class MemoryArchiveStore implements ArchiveStore {
  readonly objects = new Map<string, { body: Buffer; options: PutOptions }>();
  /** Every put, in order (a re-upload of a key shows up twice). */
  readonly puts: string[] = [];

  async put(key: string, body: Buffer, options: PutOptions): Promise<void> {
    this.puts.push(key);
    this.objects.set(key, { body: Buffer.from(body), options });
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
  }

  /** Keys under a prefix. */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}
