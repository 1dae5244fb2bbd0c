import { z } from 'zod';
import { AccessRequestIdSchema, DecisionBody } from '../../approvals/schema';
import { input } from './inputs';

/** Pieces the access-request rows share. */
export const requestParams = z.object({ requestId: AccessRequestIdSchema }).strict();
export const requestOnly = input(requestParams, z.object({}), z.undefined());
export const decisionInput = input(requestParams, z.object({}), DecisionBody);
