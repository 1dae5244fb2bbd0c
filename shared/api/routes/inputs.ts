import * as z from 'zod';
import { SecretIdSchema } from '../../secrets/schema';

/** Pieces several rows' inputs share. */

/** Bodies of ordinary JSON requests. */
export const SMALL_BODY = 64 * 1024;
/** Seed bodies may carry a picture: Lambda takes at most 6 MB per synchronous invocation. */
export const SEED_BODY = 6_000_000;

export const none = z.object({}).strict();
export const secretParams = z.object({ secretId: SecretIdSchema }).strict();

/** `{ params, query, body }`, as the handler receives it. */
export const input = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(params: P, query: Q, body: B) =>
  z.object({ params, query, body });
export const noInput = input(none, none, z.undefined());
export const secretOnly = input(secretParams, none, z.undefined());
/** A POST that acts on its path alone: no body, or `{}`. */
export const emptyBody = z.object({}).strict().optional();

/** `?version=N`: the optimistic lock of a change to a versioned document (a policy, a template). */
export const expectedVersionOf = (what: string) =>
  z
    .object({
      version: z.coerce.number().int().min(1).optional().describe(`Apply only if the ${what} is still at this version (else 409)`),
    })
    .strict();
