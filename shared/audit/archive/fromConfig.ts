import { createDocumentClient, createKmsClient } from '../../aws/clients';
import { createS3Client } from '../../aws/s3Client';
import { systemClock } from '../../clock';
import type { AuditConfig } from '../../config/auditConfig';
import type { Logger } from '../../log/logger';
import { ArchiveLedger } from './ArchiveLedger';
import { ArchiveWriter } from './ArchiveWriter';
import { KmsDigestSigner, KmsSignatureChecker } from './digestSigning';
import { S3ArchiveStore } from './S3ArchiveStore';
import { verifyArchive, type VerifyRange, type VerifyResult } from './verifyArchive';

/** The archive's collaborators, built from the audit configuration (once per cold start). */
export interface ArchiveServices {
  store: S3ArchiveStore;
  ledger: ArchiveLedger;
  writer: ArchiveWriter;
  verify(range: VerifyRange): Promise<VerifyResult>;
}

/**
 * Builds the archive store (S3), ledger (audit table), writer (signs with KMS) and verifier.
 *
 * @param config - From `loadAuditConfig`.
 * @param log - Where the writer reports digests and anomalies.
 * @example
 * const archive = archiveServices(loadAuditConfig());
 * const result = await archive.verify({ from: '2026-11-27', to: '2026-11-27' });
 */
export function archiveServices(config: AuditConfig, log?: Logger): ArchiveServices {
  const db = createDocumentClient(config);
  const kms = createKmsClient(config);
  const store = new S3ArchiveStore(createS3Client({ region: config.region, endpoint: config.endpoints.s3 }), config.archiveBucket, config.archiveKeyId);
  const ledger = new ArchiveLedger(db, config.auditTable);
  const writer = new ArchiveWriter(store, ledger, new KmsDigestSigner(kms, config.signingKeyId), systemClock, log);
  const checker = new KmsSignatureChecker(kms, config.signingKeyId);
  return { store, ledger, writer, verify: (range) => verifyArchive({ store, checker, ledger }, range) };
}
