/** Reading the audit log: queries by actor, secret, path or time; exports; the table's item layout. */
export { AuditLog, type AuditPage } from './AuditLog';
export { auditEventOf, auditItem, dayOf, type AuditItem } from './auditItem';
export { collectAudit, queryAudit, type AuditQueryAnswer } from './auditQueries';
export { csvCell } from './csv';
export { decodeCursor, encodeCursor, type Position } from './cursor';
export { exportFile, type ExportFile, type ExportFormat } from './exportFile';
export { AUDIT_EXPORT_LIMITS, AUDIT_QUERY_LIMITS } from './limits';
export { daysNewestFirst, planQuery, type QueryPlan, type TimeRange } from './plan';
export { AuditExportParams, AuditQueryParams, IsoTimeSchema, type AuditFilters } from './schema';
