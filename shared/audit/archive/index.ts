/**
 * The tamper-evident audit archive: gzip JSON Lines objects per UTC day in S3, and signed digests
 * that chain them (like CloudTrail log file integrity validation).
 */
export { ArchiveLedger, LedgerConflictError, LEDGER_PARTITION, type LedgerHead, type LedgerState, type PendingObject } from './ArchiveLedger';
export type { ArchiveStore, FirstVersion, PutOptions } from './ArchiveStore';
export { ArchiveWriter, ORPHAN_ANNOUNCEMENT_MS, type SealResult } from './ArchiveWriter';
export { canonicalJson } from './canonicalJson';
export { parseDigest, serializeDigest, signedBytes, type Digest, type DigestedObject, type DigestSignature } from './digest';
export { KmsDigestSigner, KmsSignatureChecker, type DigestSigner, type SignatureChecker } from './digestSigning';
export { eventObjectsFor, readEventObject, sha256Hex, type EventObject } from './eventObject';
export { archiveServices, type ArchiveServices } from './fromConfig';
export { ARCHIVE_PREFIX, daysBetween, digestsPrefix, eventsPrefix, utcDay } from './keys';
export { S3ArchiveStore } from './S3ArchiveStore';
export {
  MAX_SEAL_LAG_DAYS,
  verifyArchive,
  type ArchiveProblem,
  type ArchiveProblemKind,
  type UnsealedObject,
  type VerifyRange,
  type VerifyResult,
} from './verifyArchive';
export { VERIFY_LIMITS, VerifyArchiveParams } from './verifySchema';
