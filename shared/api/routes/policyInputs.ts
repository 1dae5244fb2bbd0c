import * as z from 'zod';
import { POLICY_ID } from '../../policy/store/policyRecord';
import { input, none } from './inputs';

/** Pieces the policy rows share. */

export const policyParams = z
  .object({ policyId: z.string().regex(POLICY_ID, 'not a policy id').describe('Policy id, e.g. pol-01j… or builtin-admins') })
  .strict();
export const expectedVersion = z
  .object({
    version: z.coerce.number().int().min(1).optional().describe('Apply only if the policy is still at this version (else 409)'),
  })
  .strict();
export const policyOnly = input(policyParams, none, z.undefined());
