import { encoderOf, type OtpEncoder } from '../otp';
import type { SecretRecord } from './model';

export type FieldView =
  | string
  | { sensitive: true; set: true }
  | { set: boolean; type: string; issuer: string; account: string; algorithm: string; digits: number; period: number | null; encoder: OtpEncoder; updatedAt: string }
  | { set: boolean; total: number; remaining?: number; updatedAt: string };

export interface SecretView {
  id: string;
  path: string;
  template: string;
  description?: string;
  fields: Record<string, FieldView>;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  alertOnUse?: boolean;
}

/** What callers see of a secret: plain values and parameters, never a ciphertext or a seed. */
export function secretView(secret: SecretRecord, recoveryRemaining?: number): SecretView {
  const fields: Record<string, FieldView> = {};
  for (const [name, stored] of Object.entries(secret.fields)) {
    fields[name] = stored.sensitive ? { sensitive: true, set: true } : stored.value;
  }
  if (secret.otp) {
    const o = secret.otp;
    fields[o.field] = {
      set: true,
      type: o.type,
      issuer: o.issuer,
      account: o.account,
      algorithm: o.algorithm,
      digits: o.digits,
      period: o.type === 'totp' ? o.period : null,
      encoder: encoderOf(o),
      updatedAt: o.updatedAt,
    };
  }
  if (secret.recovery) {
    const r = secret.recovery;
    fields[r.field] = { set: true, total: r.total, ...(recoveryRemaining !== undefined ? { remaining: recoveryRemaining } : {}), updatedAt: r.updatedAt };
  }
  return {
    id: secret.id,
    path: secret.path,
    template: secret.templateId,
    ...(secret.description ? { description: secret.description } : {}),
    fields,
    createdAt: secret.createdAt,
    createdBy: secret.createdBy,
    updatedAt: secret.updatedAt,
    updatedBy: secret.updatedBy,
    version: secret.version,
    ...(secret.alertOnUse ? { alertOnUse: true } : {}),
  };
}
