import { readFile, rename, writeFile } from 'node:fs/promises';

/** Progress per shard: the last sequence number handled, and whether a closed shard is finished. */
interface Saved {
  streamArn: string;
  shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

/**
 * How far the stream poller has come in each shard, saved to a file after every move (written to
 * a temporary file, then renamed), so a restart goes on where the last run stopped.
 */
export class StreamCheckpoint {
  private constructor(
    private readonly file: string,
    private readonly saved: Saved,
  ) {}

  /** The saved checkpoint, or a fresh one when there is none or it belongs to an older stream. */
  static async open(file: string, streamArn: string): Promise<StreamCheckpoint> {
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as Saved;
      if (saved.streamArn === streamArn && typeof saved.shards === 'object') return new StreamCheckpoint(file, saved);
    } catch {
      // No checkpoint yet, or an unreadable one: start from the oldest record still in the stream.
    }
    return new StreamCheckpoint(file, { streamArn, shards: {} });
  }

  /** The last sequence number handled in a shard. */
  lastSequence(shardId: string): string | undefined {
    return this.saved.shards[shardId]?.sequenceNumber;
  }

  /** True once a closed shard has been read to its end. */
  finished(shardId: string): boolean {
    return this.saved.shards[shardId]?.finished === true;
  }

  async advance(shardId: string, sequenceNumber: string | undefined): Promise<void> {
    this.saved.shards[shardId] = { sequenceNumber };
    await this.save();
  }

  async finish(shardId: string): Promise<void> {
    this.saved.shards[shardId] = { ...this.saved.shards[shardId], finished: true };
    await this.save();
  }

  private async save(): Promise<void> {
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, JSON.stringify(this.saved));
    await rename(temporary, this.file);
  }
}
