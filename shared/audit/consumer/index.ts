/** The outbox stream consumer: audit table and archive, each event exactly once. */
export { ARCHIVE_CLAIM, AuditLogWriter, type PutOutcome } from './AuditLogWriter';
export { AuditStreamConsumer, type BatchResult } from './AuditStreamConsumer';
export { auditStreamConsumer } from './fromConfig';
export { auditEventOfRecord, isNewEvent, MalformedStreamRecordError, sequenceNumberOf, type StreamRecordLike } from './streamRecords';
