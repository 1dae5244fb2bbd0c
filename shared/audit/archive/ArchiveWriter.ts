import type { Clock } from '../../clock';
import type { Logger } from '../../log/logger';
import type { ArchiveLedger, LedgerHead, PendingObject } from './ArchiveLedger';
import { LedgerConflictError, MAX_SETTLED_PER_DIGEST } from './ArchiveLedger';
import type { ArchiveStore } from './ArchiveStore';
import { DIGEST_VERSION, serializeDigest, signedBytes, type Digest, type DigestedObject, type DigestPayload } from './digest';
import type { DigestSigner } from './digestSigning';
import { EVENT_OBJECT_CONTENT_ENCODING, EVENT_OBJECT_CONTENT_TYPE, readEventObject, sha256Hex, type EventObject } from './eventObject';
import { digestKey } from './keys';

/**
 * An announcement whose object still does not exist after this long was made by an invocation
 * that died before uploading (Lambda's longest timeout is 15 minutes); it is forgotten. Younger
 * ones may belong to an upload in flight elsewhere and are left for a later digest.
 */
export const ORPHAN_ANNOUNCEMENT_MS = 20 * 60_000;

/**
 * How old the newest digest may be before a batch's objects are sealed at once. Younger, and the
 * objects wait for the next due batch or the scheduled seal (every minute): one KMS Sign and one
 * digest PUT a minute at most, whatever the traffic, instead of one per consumer batch.
 */
export const SEAL_INTERVAL_MS = 60_000;

/** Times `seal` reads the ledger again after another writer moved its head first, before giving up. */
const CONFLICT_RETRIES = 5;

/** What one `seal` did. */
export interface SealResult {
  /** Keys of the digests written, oldest first. */
  digests: string[];
  /** Objects those digests vouch for. */
  objects: number;
  /** Objects left for a later seal because a digest was written less than `SEAL_INTERVAL_MS` ago. */
  deferred: number;
}

export interface SealOptions {
  /**
   * `always` (the scheduled seal, a flush): every uploaded object now. `due` (each consumer batch):
   * only when the newest digest is `SEAL_INTERVAL_MS` old, or there is none, or a digest's worth is waiting.
   * @default 'always'
   */
  when?: 'always' | 'due';
}

/**
 * Writes the archive: event objects (announced in the ledger first, uploaded once), then digests
 * that vouch for every uploaded object and chain to the digest before.
 */
export class ArchiveWriter {
  constructor(
    private readonly store: ArchiveStore,
    private readonly ledger: ArchiveLedger,
    private readonly signer: DigestSigner,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly log?: Logger,
  ) {}

  /**
   * Announces, then uploads, each object that is not in the bucket yet. A key names exactly one
   * content (its hash is in the key), so an existing key already holds these events.
   *
   * @param objects - From `eventObjectsFor`.
   */
  async write(objects: readonly EventObject[]): Promise<void> {
    if (objects.length === 0) return;
    const announcedAt = this.clock.now();
    await this.ledger.announce(objects.map((object) => pendingOf(object, announcedAt)));
    for (const object of objects) {
      if (await this.store.exists(object.key)) continue;
      await this.store.put(object.key, object.body, {
        contentType: EVENT_OBJECT_CONTENT_TYPE,
        contentEncoding: EVENT_OBJECT_CONTENT_ENCODING,
        metadata: { 'content-sha256': object.contentSha256, events: String(object.events.length) },
      });
    }
  }

  /**
   * Writes digests until every uploaded, announced object is in one. First re-uploads the newest
   * digest if its upload was interrupted. An announced object whose bytes do not hold the content
   * its key names is left out (and logged): the digest vouches only for what it checked.
   *
   * @throws LedgerConflictError when other writers kept sealing at the same time (retry the batch).
   */
  async seal(options: SealOptions = {}): Promise<SealResult> {
    const result: SealResult = { digests: [], objects: 0, deferred: 0 };
    let conflicts = 0;
    for (;;) {
      const state = await this.ledger.state();
      if (options.when === 'due' && result.digests.length === 0 && !this.due(state.head, state.pending.length)) {
        result.deferred = state.pending.length;
        return result;
      }
      if (state.head && !(await this.store.exists(state.head.key))) {
        await this.store.put(state.head.key, Buffer.from(state.head.document, 'utf8'), { contentType: 'application/json' });
      }
      const ready: DigestedObject[] = [];
      const orphans: string[] = [];
      for (const pending of state.pending) {
        if (ready.length >= MAX_SETTLED_PER_DIGEST) break;
        const checked = await this.check(pending);
        if (checked === 'missing') {
          if (this.clock.now() - pending.announcedAt > ORPHAN_ANNOUNCEMENT_MS) orphans.push(pending.key);
        } else if (checked !== 'mismatch') {
          ready.push(checked);
        }
      }
      if (orphans.length > 0) await this.ledger.forget(orphans);
      if (ready.length === 0) return result;
      let head: LedgerHead;
      try {
        head = await this.digest(state.head, ready);
      } catch (error) {
        // Another writer sealed first (it may have sealed these objects too): read the ledger again.
        if (error instanceof LedgerConflictError && ++conflicts <= CONFLICT_RETRIES) continue;
        throw error;
      }
      result.digests.push(head.key);
      result.objects += ready.length;
    }
  }

  private due(head: LedgerHead | undefined, pending: number): boolean {
    if (!head || pending >= MAX_SETTLED_PER_DIGEST) return true;
    return this.clock.now() - Date.parse(head.time) >= SEAL_INTERVAL_MS;
  }

  private async check(pending: PendingObject): Promise<DigestedObject | 'missing' | 'mismatch'> {
    const body = await this.store.get(pending.key);
    if (!body) return 'missing';
    let contentSha256: string;
    try {
      contentSha256 = readEventObject(body).contentSha256;
    } catch {
      contentSha256 = '';
    }
    if (contentSha256 !== pending.contentSha256) {
      this.log?.error('archive object does not hold the content it was announced with', { key: pending.key });
      return 'mismatch';
    }
    return {
      key: pending.key,
      sha256: sha256Hex(body),
      bytes: body.length,
      events: pending.events,
      firstEventId: pending.firstEventId,
      lastEventId: pending.lastEventId,
    };
  }

  private async digest(previous: LedgerHead | undefined, objects: DigestedObject[]): Promise<LedgerHead> {
    const seq = (previous?.seq ?? 0) + 1;
    // Never before the previous digest, so day partitions and key order follow the chain.
    const timeMs = Math.max(this.clock.now(), previous ? Date.parse(previous.time) : 0);
    const payload: DigestPayload = {
      version: DIGEST_VERSION,
      seq,
      key: digestKey(timeMs, seq),
      time: new Date(timeMs).toISOString(),
      previous: previous ? { key: previous.key, sha256: previous.sha256 } : null,
      objects,
    };
    const digest: Digest = { ...payload, signature: await this.signer.sign(signedBytes(payload)) };
    const document = serializeDigest(digest);
    const head: LedgerHead = { seq, key: payload.key, sha256: sha256Hex(document), time: payload.time, document: document.toString('utf8') };
    await this.ledger.advance(previous?.seq, head, objects.map((object) => object.key));
    await this.store.put(head.key, document, { contentType: 'application/json' });
    this.log?.info('archive digest written', { key: head.key, seq, objects: objects.length });
    return head;
  }
}

function pendingOf(object: EventObject, announcedAt: number): PendingObject {
  return {
    key: object.key,
    contentSha256: object.contentSha256,
    events: object.events.length,
    firstEventId: object.events[0]!.eventId,
    lastEventId: object.events[object.events.length - 1]!.eventId,
    announcedAt,
  };
}
