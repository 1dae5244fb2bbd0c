import { operation } from '../../shared/api/operation';
import { queryAudit as queryAuditRoute } from '../../shared/api/routes/queryAudit';
import { queryAudit } from '../../shared/audit/query';
import { auditLog } from '../../shared/api/services/auditLog';

export const handler = operation(queryAuditRoute, async ({ input, deps, audit }) => {
  const page = await queryAudit(auditLog(deps), input.query, deps.clock.now());
  Object.assign(audit.details, { source: page.source, returned: page.items.length });
  return page;
});
