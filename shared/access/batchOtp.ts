import type { z } from 'zod';
import { RequestAudit } from '../audit/RequestAudit';
import type { Deps } from '../api/deps';
import { InvalidInputError, VaultError } from '../errors';
import type { Action } from '../policy';
import type { OtpAnswer, OtpCodes } from '../secrets/OtpCodes';
import { BATCH_OTP_LIMITS, type GenerateOtpsBody } from './batchOtpSchema';
import { mySecrets } from './mySecrets';
import type { RequestAccess } from './RequestAccess';

export { BATCH_OTP_LIMITS, GenerateOtpsBody } from './batchOtpSchema';

/** One secret's code, or why it has none (no seed yet, say). */
export type BatchOtpItem = { id: string; path: string } & ({ otp: OtpAnswer } | { error: { code: string; message: string } });

type BatchDeps = Pick<Deps, 'secrets' | 'outbox' | 'clock'> & { otpCodes: Pick<OtpCodes, 'otp'> };

/**
 * The current codes of every secret under a prefix the caller may `action` (the row's
 * `otp:generate`), in path order. Each code is a sub-request of its own in the audit log: its event
 * (request id `<request id>/<n>`, `details.batchRequestId`) is durable before the seed is
 * decrypted, exactly as for a single code; the request itself leaves its own event too.
 *
 * @param caller - the caller, already allowed `action` somewhere
 * @param audit - the request's audit record (the sub-requests copy it)
 * @param action - the action each secret must allow (the row's authorization)
 * @throws InvalidInputError when more than `BATCH_OTP_LIMITS.maxSecrets` secrets qualify (nothing is generated).
 */
export async function batchOtp(
  deps: BatchDeps,
  caller: RequestAccess,
  audit: RequestAudit,
  body: z.output<typeof GenerateOtpsBody>,
  action: Action,
): Promise<{ items: BatchOtpItem[] }> {
  const mine = await mySecrets(deps.secrets, caller, body.prefix);
  const targets = mine.items.filter((s) => s.actions.includes(action));
  Object.assign(audit.details, { prefix: body.prefix, secrets: targets.length });
  if (targets.length > BATCH_OTP_LIMITS.maxSecrets) {
    throw new InvalidInputError(`${targets.length} secrets under ${body.prefix} qualify; at most ${BATCH_OTP_LIMITS.maxSecrets} per request: use a longer prefix`, { field: 'prefix' });
  }
  const batch: Batch = { deps, caller, audit, action, minValidSeconds: body.minValidSeconds };
  const items: BatchOtpItem[] = [];
  for (let i = 0; i < targets.length; i += BATCH_OTP_LIMITS.parallel) {
    const chunk = targets.slice(i, i + BATCH_OTP_LIMITS.parallel);
    items.push(...(await Promise.all(chunk.map((target, j) => codeFor(batch, target, i + j + 1)))));
  }
  audit.details.generated = items.filter((item) => 'otp' in item).length;
  return { items };
}

/** What every sub-request of one batch shares. */
interface Batch {
  deps: BatchDeps;
  caller: RequestAccess;
  audit: RequestAudit;
  action: Action;
  minValidSeconds: number | undefined;
}

async function codeFor({ deps, caller, audit: parentAudit, action, minValidSeconds }: Batch, target: { id: string; path: string }, n: number): Promise<BatchOtpItem> {
  const parent = parentAudit.request;
  const audit = new RequestAudit(deps.outbox, { ...parent, requestId: `${parent.requestId}/${n}` }, () => deps.clock.now());
  audit.principal = caller.principal;
  audit.setTarget({ secretId: target.id, path: target.path });
  audit.details.batchRequestId = parent.requestId;
  try {
    const secret = await deps.secrets.get(target.id);
    // Moved or deleted since it was listed: decided again on what it is now.
    if (!secret || (secret.path !== target.path && !caller.permissionsFor([secret.path]).get(secret.path)?.includes(action))) {
      throw new InvalidInputError('the secret changed while its code was being generated; ask again', { secretId: target.id });
    }
    return { id: target.id, path: target.path, otp: await deps.otpCodes.otp(secret, { minValidSeconds }, audit) };
  } catch (error) {
    // The audit log must record every code: without it, the whole request fails (no code leaves).
    if (!(error instanceof VaultError) || error.kind === 'unavailable') throw error;
    await audit.finish('error', error.kind === 'conflict' ? 409 : 400, error.message);
    return { id: target.id, path: target.path, error: { code: error.code, message: error.message } };
  }
}
