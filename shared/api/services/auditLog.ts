import { AuditLog } from '../../audit/query/AuditLog';
import { builtOnce, type Deps } from '../deps';

/** The audit table, read by the audit queries, export and reconciliation. */
export const auditLog = (deps: Deps): AuditLog => builtOnce(deps, auditLog, () => new AuditLog(deps.db, deps.config.tables.audit));
