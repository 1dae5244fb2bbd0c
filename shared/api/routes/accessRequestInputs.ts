import * as z from 'zod';
import { AccessRequestIdSchema, DecisionBody } from '../../approvals/schema';
import { input, none } from './inputs';

/** Pieces the access-request rows share. */
export const requestParams = z.object({ requestId: AccessRequestIdSchema }).strict();
export const requestOnly = input(requestParams, none, z.undefined());
export const decisionInput = input(requestParams, none, DecisionBody);
