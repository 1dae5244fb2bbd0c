import type { RequestAudit } from '../audit/RequestAudit';
import { InvalidInputError, NotFoundError } from '../errors';
import type { FieldType } from '../templates/model';
import type { TemplateService } from '../templates/TemplateService';
import type { SecretRecord } from './model';
import { bindings, text, type SealedValues } from './SealedValues';

export interface RevealedField {
  field: string;
  value: string;
}

/** Field types with their own, narrower endpoints: never revealed as a field. */
const OWN_ENDPOINT: Partial<Record<FieldType, string>> = {
  otpSeed: 'it is an OTP seed, which is never revealed; generate a code with POST /v1/secrets/{secretId}/otp',
  recoveryCodes: 'it holds recovery codes, which are handed out one at a time with POST /v1/secrets/{secretId}/recovery-codes/reveal',
};

/**
 * Reveals one sensitive field of a secret (a password, a sensitive note). The audit event is
 * written durably before the value is decrypted, so no value leaves unrecorded; seeds and
 * recovery codes are refused whatever the field is called.
 *
 * @param secret - the secret, already authorized for `secret:reveal`
 * @param field - the field name, as the template declares it
 * @param deps - the sealed values, the templates that say what an unset field is
 * @param audit - the request's audit record
 * @throws InvalidInputError (`FieldNotRevealable`, `FieldNotSensitive`), NotFoundError (`FieldNotFound`)
 * @example
 * const { value } = await revealField(secret, 'password', deps, audit);
 */
export async function revealField(
  secret: SecretRecord,
  field: string,
  deps: { sealed: SealedValues; templates: TemplateService },
  audit: RequestAudit,
): Promise<RevealedField> {
  if (secret.otp?.field === field) throw notRevealable(field, 'otpSeed');
  if (secret.recovery?.field === field) throw notRevealable(field, 'recoveryCodes');
  const stored = secret.fields[field];
  if (!stored) {
    const declared = (await deps.templates.get(secret.templateId)).fields.find((f) => f.name === field);
    if (declared && OWN_ENDPOINT[declared.type]) throw notRevealable(field, declared.type);
    throw new NotFoundError(declared ? `field ${field} of this secret holds no value` : `template ${secret.templateId} has no field ${field}`, 'FieldNotFound');
  }
  if (OWN_ENDPOINT[stored.type]) throw notRevealable(field, stored.type);
  if (!stored.sensitive) {
    throw new InvalidInputError(`field ${field} is not sensitive; it is shown by GET /v1/secrets/{secretId}`, { field }, 'FieldNotSensitive');
  }
  const record = { reason: 'field revealed', details: { field } };
  const value = await deps.sealed.reveal(audit, record, stored.ciphertext, bindings.field(secret.id, field), text);
  return { field, value };
}

function notRevealable(field: string, type: FieldType): InvalidInputError {
  return new InvalidInputError(`field ${field} cannot be revealed: ${OWN_ENDPOINT[type] ?? 'it is not a revealable field'}`, { field }, 'FieldNotRevealable');
}
