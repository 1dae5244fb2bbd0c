import { operation } from '../../shared/api/operation';
import { verifyAudit } from '../../shared/api/routes/verifyAudit';
import { archiveServices, type ArchiveServices } from '../../shared/audit/archive';
import { loadAuditConfig } from '../../shared/config/auditConfig';

/** Built on the first request (reused while warm); only this function needs the archive configuration. */
let archive: ArchiveServices | undefined;

export const handler = operation(verifyAudit, async ({ input }) => {
  archive ??= archiveServices(loadAuditConfig());
  return archive.verify(input.query);
});
