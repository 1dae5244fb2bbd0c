import { describeError, type Logger } from '../../log/logger';
import type { ArchiveStore, ArchiveWriter } from '../archive';
import { eventObjectsFor } from '../archive';
import type { AuditEvent } from '../event';
import type { AuditLogWriter } from './AuditLogWriter';
import { auditEventOfRecord, isNewEvent, sequenceNumberOf, type StreamRecordLike } from './streamRecords';

/** Lambda's partial batch response for stream sources (`ReportBatchItemFailures`). */
export interface BatchResult {
  batchItemFailures: { itemIdentifier: string }[];
}

/** An event this run archives, with the claim its audit item holds now. */
interface Claimed {
  event: AuditEvent;
  claim: string | undefined;
}

/**
 * Carries a batch of outbox stream records to the audit table and the archive, exactly once each.
 *
 * Records are handled in stream order. Each INSERT's event is put into the audit table (a
 * duplicate counts as done), its item claiming the archive object planned for it; the events this
 * run is responsible for then go to the archive as one object per UTC day. A digest seals them when
 * the newest digest is a minute old; otherwise the scheduled seal (`sealArchive`, every minute) or a
 * later batch does, so signing costs the same at 1 event a second as at 100.
 * At the first record that fails, handling stops: that record and every later one are reported as
 * failures, so Lambda retries from there. If the archive step fails, the whole batch is reported.
 *
 * Why a replay writes nothing twice, however Lambda splits or extends the retried batch:
 * - the table: the put is conditional on the key (which holds the event id);
 * - the archive: an object's key names its content (first and last event id and a content hash),
 *   and each event's item names the object that holds it. An event whose claimed object exists is
 *   already archived and is skipped; one whose claimed object does not exist (the run that
 *   claimed it died before uploading) is re-claimed for this run's object. Claims only move with
 *   a condition on their old value.
 */
export class AuditStreamConsumer {
  constructor(
    private readonly auditLog: AuditLogWriter,
    private readonly archive: ArchiveWriter,
    private readonly store: Pick<ArchiveStore, 'exists'>,
    private readonly log: Logger,
  ) {}

  /**
   * Handles one batch.
   *
   * @param records - The batch, in stream order.
   * @returns The records to retry: the first failed one and all after it (none when all succeeded).
   */
  async consume(records: readonly StreamRecordLike[]): Promise<BatchResult> {
    let failedAt = records.length;
    const inserts: { index: number; event: AuditEvent }[] = [];
    for (const [index, record] of records.entries()) {
      if (!isNewEvent(record)) continue;
      try {
        inserts.push({ index, event: auditEventOfRecord(record) });
      } catch (error) {
        this.log.error('unreadable outbox record', { sequenceNumber: sequenceNumberOf(record), ...describeError(error) });
        failedAt = index;
        break;
      }
    }

    const planned = claimsFor(inserts.map(({ event }) => event));
    const claimed: Claimed[] = [];
    const existing = new Map<string, Promise<boolean>>();
    const objectExists = (key: string) => {
      let found = existing.get(key);
      if (!found) existing.set(key, (found = this.store.exists(key)));
      return found;
    };
    for (const { index, event } of inserts) {
      try {
        const plan = planned.get(event.eventId) as string;
        const outcome = await this.auditLog.put(event, plan);
        if (outcome.written) claimed.push({ event, claim: plan });
        else if (!(outcome.claim && (await objectExists(outcome.claim)))) claimed.push({ event, claim: outcome.claim });
      } catch (error) {
        this.log.error('audit table write failed', { eventId: event.eventId, ...describeError(error) });
        failedAt = index;
        break;
      }
    }

    try {
      const objects = eventObjectsFor(claimed.map(({ event }) => event));
      const keyOf = new Map(objects.flatMap((object) => object.events.map((event) => [event.eventId, object.key] as const)));
      for (const { event, claim } of claimed) {
        const key = keyOf.get(event.eventId) as string;
        if (claim !== key) await this.auditLog.reclaim(event, claim, key);
      }
      await this.archive.write(objects);
      await this.archive.seal({ when: 'due' });
    } catch (error) {
      this.log.error('archive write failed; the whole batch is retried', describeError(error));
      failedAt = 0;
    }

    const failed = records.slice(failedAt).map((record) => ({ itemIdentifier: sequenceNumberOf(record) }));
    this.log.info('audit batch', { records: records.length, events: inserts.length, archived: claimed.length, failed: failed.length });
    return { batchItemFailures: failed };
  }

  /** Seals every uploaded object now (the scheduled run): nothing waits longer than the schedule's period. */
  async sealArchive(): Promise<void> {
    const sealed = await this.archive.seal();
    if (sealed.objects > 0) this.log.info('archive sealed on schedule', { digests: sealed.digests.length, objects: sealed.objects });
  }
}

/** The archive object each event would go to if this run archived all of them. */
function claimsFor(events: readonly AuditEvent[]): Map<string, string> {
  return new Map(eventObjectsFor(events).flatMap((object) => object.events.map((event) => [event.eventId, object.key] as const)));
}
