import * as z from 'zod';
import { AUDIT_EXPORT_LIMITS } from '../../audit/query/limits';
import { AuditExportParams } from '../../audit/query/schema';
import { route } from '../route';
import { input, none } from './inputs';

export const exportAudit = route({
  op: 'exportAudit',
  method: 'GET',
  path: '/v1/audit/export',
  summary: `Every audit event of a range as one CSV or JSON Lines file (at most ${AUDIT_EXPORT_LIMITS.maxRows} events)`,
  input: input(none, AuditExportParams, z.undefined()),
  authorize: { on: 'global', action: 'audit:read' },
  grants: { audit: 'read' },
  memoryMb: 1024,
  timeoutSeconds: 29,
});
