import { operation } from '../../shared/api/operation';
import { reconcileAudit } from '../../shared/api/routes/reconcileAudit';
import { reconcileDecrypts } from '../../shared/audit/reconcile';
import { decryptTrail } from '../../shared/api/services/decryptTrail';
import { auditLog } from '../../shared/api/services/auditLog';

export const handler = operation(reconcileAudit, async ({ input, deps, audit }) => {
  const answer = await reconcileDecrypts({ trail: decryptTrail(deps), auditLog: auditLog(deps), vaultCallers: deps.config.vaultDecryptCallers }, input.query, deps.clock.now());
  Object.assign(audit.details, { decrypts: answer.decrypts, unexplained: answer.unexplained.length });
  return answer;
});
