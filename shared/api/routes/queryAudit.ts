import * as z from 'zod';
import { AuditQueryParams } from '../../audit/query/schema';
import { route } from '../route';
import { input, none } from './inputs';

export const queryAudit = route({
  op: 'queryAudit',
  method: 'GET',
  path: '/v1/audit',
  summary: 'Audit events newest first, by actor, secret, path or time range, with action/result filters, paginated',
  input: input(none, AuditQueryParams, z.undefined()),
  authorize: { on: 'global', action: 'audit:read' },
  grants: { audit: 'read' },
});
