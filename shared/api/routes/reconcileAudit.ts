import * as z from 'zod';
import { RECONCILE_LIMITS } from '../../audit/reconcile/limits';
import { ReconcileParams } from '../../audit/reconcile/schema';
import { route } from '../route';
import { input, none } from './inputs';

export const reconcileAudit = route({
  op: 'reconcileAudit',
  method: 'GET',
  path: '/v1/audit/reconcile',
  summary: `KMS Decrypts of secrets (CloudTrail) that no audit event explains; in AWS, end the window ${RECONCILE_LIMITS.trailDelayMinutes} min ago or more`,
  input: input(none, ReconcileParams, z.undefined()),
  authorize: { on: 'global', action: 'audit:read' },
  grants: { audit: 'read', cloudTrail: ['LookupEvents'] },
  timeoutSeconds: 29,
});
