import { RawBody } from '../../shared/api/httpResponse';
import { operation } from '../../shared/api/operation';
import { exportAudit } from '../../shared/api/routes/exportAudit';
import { collectAudit, exportFile, planQuery } from '../../shared/audit/query';
import { auditLog } from '../../shared/api/services/auditLog';

export const handler = operation(exportAudit, async ({ input, deps, audit }) => {
  const plan = planQuery(input.query, deps.clock.now());
  const events = await collectAudit(auditLog(deps), plan);
  Object.assign(audit.details, { format: input.query.format, rows: events.length });
  return new RawBody(exportFile(events, input.query.format, plan.range));
});
