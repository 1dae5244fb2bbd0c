import { operation } from '../../shared/api/operation';
import { queryAudit } from '../../shared/audit/query';

export const handler = operation('queryAudit', async ({ input, deps, scope }) => {
  scope.authorize('audit:read', '*');
  const page = await queryAudit(deps.auditLog, input.query, deps.clock.now());
  Object.assign(scope.audit.details, { source: page.source, returned: page.items.length });
  return page;
});
