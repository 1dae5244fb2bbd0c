import * as z from 'zod';
// The schema alone: the archive's index would pull the S3 client into the bundle.
import { VERIFY_LIMITS, VerifyArchiveParams } from '../../audit/archive/verifySchema';
import { route } from '../route';
import { input, none } from './inputs';

export const verifyAudit = route({
  op: 'verifyAudit',
  method: 'GET',
  path: '/v1/audit/verify',
  summary: `Check the audit archive's signed digest chain and objects for days (at most ${VERIFY_LIMITS.maxDays} per call)`,
  input: input(none, VerifyArchiveParams, z.undefined()),
  authorize: { on: 'global', action: 'audit:read' },
  grants: { audit: 'read', archive: 'verify' },
  memoryMb: 1024,
  timeoutSeconds: 29,
});
