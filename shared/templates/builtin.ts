import type { Template } from './model';

/** Predefined templates: always present, not stored, not editable. */
export const BUILTIN_TEMPLATES: readonly Template[] = [
  {
    id: 'webapp-otp',
    name: 'WebApp with OTP',
    description: 'A web application login protected by a one-time password',
    builtin: true,
    fields: [
      { name: 'url', type: 'url', required: true, sensitive: false, description: 'Login page' },
      { name: 'username', type: 'text', required: true, sensitive: false, description: 'User name or e-mail' },
      { name: 'password', type: 'password', required: true, sensitive: true, description: 'Password' },
      { name: 'otpSeed', type: 'otpSeed', required: true, sensitive: true, description: 'MFA seed: QR picture, otpauth:// URI or setup key' },
      { name: 'recoveryCodes', type: 'recoveryCodes', required: false, sensitive: true, description: 'Recovery / backup codes' },
    ],
  },
  {
    id: 'otp-only',
    name: 'OTP seed',
    description: 'Just an MFA seed, e.g. an AWS root user virtual MFA device',
    builtin: true,
    fields: [
      { name: 'account', type: 'text', required: false, sensitive: false, description: 'Which account this MFA device protects' },
      { name: 'otpSeed', type: 'otpSeed', required: true, sensitive: true, description: 'MFA seed: QR picture, otpauth:// URI or setup key' },
      { name: 'recoveryCodes', type: 'recoveryCodes', required: false, sensitive: true, description: 'Recovery / backup codes' },
    ],
  },
  {
    id: 'recovery-codes',
    name: 'Recovery codes',
    description: 'Backup codes of an account, handed out one at a time',
    builtin: true,
    fields: [
      { name: 'account', type: 'text', required: true, sensitive: false, description: 'Which account the codes belong to' },
      { name: 'recoveryCodes', type: 'recoveryCodes', required: true, sensitive: true, description: 'Recovery / backup codes' },
    ],
  },
];

export function builtinTemplate(id: string): Template | undefined {
  return BUILTIN_TEMPLATES.find((t) => t.id === id);
}
