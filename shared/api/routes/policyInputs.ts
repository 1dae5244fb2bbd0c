import * as z from 'zod';
import { POLICY_ID } from '../../policy/store/policyRecord';
import { expectedVersionOf, input, none } from './inputs';

/** Pieces the policy rows share. */

export const policyParams = z
  .object({ policyId: z.string().regex(POLICY_ID, 'not a policy id').describe('Policy id, e.g. pol-01j… or builtin-admins') })
  .strict();
export const expectedVersion = expectedVersionOf('policy');
export const policyOnly = input(policyParams, none, z.undefined());
