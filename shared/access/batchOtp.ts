import type { z } from 'zod';
import { AuditScope } from '../audit/scope';
import type { Deps } from '../api/deps';
import type { RequestScope } from '../api/requestScope';
import { InvalidInputError, VaultError } from '../errors';
import type { OtpAnswer } from '../secrets/codes';
import { BATCH_OTP_LIMITS, type GenerateOtpsBody } from './batchOtpSchema';
import { mySecrets } from './mySecrets';

export { BATCH_OTP_LIMITS, GenerateOtpsBody } from './batchOtpSchema';

/** One secret's code, or why it has none (no seed yet, say). */
export type BatchOtpItem = { id: string; path: string } & ({ otp: OtpAnswer } | { error: { code: string; message: string } });

/**
 * The current codes of every secret under a prefix the caller may `otp:generate`, in path order.
 * Each code is a sub-request of its own in the audit log: its event (request id
 * `<request id>/<n>`, `details.batchRequestId`) is durable before the seed is decrypted, exactly as
 * for a single code; the request itself leaves its own event too.
 *
 * @throws InvalidInputError when more than `BATCH_OTP_LIMITS.maxSecrets` secrets qualify (nothing is generated).
 */
export async function batchOtp(deps: Pick<Deps, 'secrets' | 'codes' | 'outbox' | 'clock'>, scope: RequestScope, body: z.output<typeof GenerateOtpsBody>): Promise<{ items: BatchOtpItem[] }> {
  const mine = await mySecrets(deps.secrets, scope, body.prefix);
  const targets = mine.items.filter((s) => s.actions.includes('otp:generate'));
  Object.assign(scope.audit.details, { prefix: body.prefix, secrets: targets.length });
  if (targets.length > BATCH_OTP_LIMITS.maxSecrets) {
    throw new InvalidInputError(`${targets.length} secrets under ${body.prefix} qualify; at most ${BATCH_OTP_LIMITS.maxSecrets} per request: use a longer prefix`, { field: 'prefix' });
  }
  const items: BatchOtpItem[] = [];
  for (let i = 0; i < targets.length; i += BATCH_OTP_LIMITS.parallel) {
    const chunk = targets.slice(i, i + BATCH_OTP_LIMITS.parallel);
    items.push(...(await Promise.all(chunk.map((target, j) => codeFor(deps, scope, target, i + j + 1, body.minValidSeconds)))));
  }
  scope.audit.details.generated = items.filter((item) => 'otp' in item).length;
  return { items };
}

async function codeFor(
  deps: Pick<Deps, 'secrets' | 'codes' | 'outbox' | 'clock'>,
  scope: RequestScope,
  target: { id: string; path: string },
  n: number,
  minValidSeconds: number | undefined,
): Promise<BatchOtpItem> {
  const parent = scope.audit.request;
  const audit = new AuditScope(deps.outbox, { ...parent, requestId: `${parent.requestId}/${n}` }, () => deps.clock.now());
  audit.principal = scope.principal;
  audit.setTarget({ secretId: target.id, path: target.path });
  audit.details.batchRequestId = parent.requestId;
  try {
    const secret = await deps.secrets.get(target.id);
    // Moved or deleted since it was listed: decided again on what it is now.
    if (!secret || (secret.path !== target.path && !scope.permissionsFor([secret.path]).get(secret.path)?.includes('otp:generate'))) {
      throw new InvalidInputError('the secret changed while its code was being generated; ask again', { secretId: target.id });
    }
    return { id: target.id, path: target.path, otp: await deps.codes.otp(secret, { minValidSeconds }, audit) };
  } catch (error) {
    // The audit log must record every code: without it, the whole request fails (no code leaves).
    if (!(error instanceof VaultError) || error.kind === 'unavailable') throw error;
    await audit.finish('error', error.kind === 'conflict' ? 409 : 400, error.message);
    return { id: target.id, path: target.path, error: { code: error.code, message: error.message } };
  }
}
