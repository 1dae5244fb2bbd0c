import * as z from 'zod';

export const SECRET_LIMITS = {
  maxPathLength: 512,
  maxPathDepth: 16,
  maxTextLength: 1024,
  maxUrlLength: 2048,
  /** KMS Encrypt takes at most 4096 bytes of plaintext. */
  maxSensitiveBytes: 4096,
  maxNoteLength: 4096,
  maxRecoveryCodes: 64,
  maxRecoveryCodeLength: 128,
  listDefaultLimit: 100,
  listMaxLimit: 1000,
  maxDescriptionLength: 1000,
} as const;

/** `/team/system/account`: segments of letters, digits, `.`, `_`, `-` (no `*`: that belongs to policies). */
const SECRET_PATH = /^(\/[A-Za-z0-9._-]+)+$/;

export const SecretPathSchema = z
  .string()
  .max(SECRET_LIMITS.maxPathLength, `a path holds at most ${SECRET_LIMITS.maxPathLength} characters`)
  .regex(SECRET_PATH, 'a path looks like /team/system/account: segments of letters, digits, ".", "_" or "-", each after a "/"')
  .refine((p) => p.split('/').length - 1 <= SECRET_LIMITS.maxPathDepth, `a path has at most ${SECRET_LIMITS.maxPathDepth} segments`)
  .refine((p) => !p.split('/').some((seg) => seg === '.' || seg === '..'), 'path segments "." and ".." are not allowed')
  .describe('Secret path, unique in the vault, e.g. /aws/prod/root');

export const SecretIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'not a secret id').describe('Secret id');

export const CreateSecretBody = z
  .object({
    path: SecretPathSchema,
    template: z.string().min(1).max(64).describe('Template id, e.g. webapp-otp'),
    description: z.string().max(SECRET_LIMITS.maxDescriptionLength).optional().describe('What this secret is for'),
    fields: z.record(z.string(), z.unknown()).default({}).describe('Field values keyed by the template\'s field names'),
    alertOnUse: z.boolean().optional().describe('Publish an alert (EventBridge bus, SNS topic) for every code or field handed out of this secret'),
  })
  .strict();
export type CreateSecretBody = z.output<typeof CreateSecretBody>;

export const RecoveryCodesBody = z
  .object({
    codes: z
      .array(z.string().trim().min(1, 'a recovery code cannot be empty').max(SECRET_LIMITS.maxRecoveryCodeLength, `a recovery code holds at most ${SECRET_LIMITS.maxRecoveryCodeLength} characters`))
      .min(1, 'give at least one recovery code')
      .max(SECRET_LIMITS.maxRecoveryCodes, `at most ${SECRET_LIMITS.maxRecoveryCodes} recovery codes per secret`)
      .refine((codes) => new Set(codes).size === codes.length, 'recovery codes must be distinct')
      .describe('The complete new set of recovery codes; replaces the old set'),
  })
  .strict();

/** API Gateway HTTP APIs give up after 30 s, so a request may wait at most this long for the next step. */
export const MAX_OTP_WAIT_SECONDS = 25;

export const GenerateOtpBody = z
  .object({
    minValidSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_OTP_WAIT_SECONDS, `minValidSeconds is at most ${MAX_OTP_WAIT_SECONDS} (a request cannot wait longer)`)
      .optional()
      .describe('If fewer seconds remain in the current step, wait for the next one and return its code'),
    freshCode: z
      .boolean()
      .optional()
      .describe(`If someone else was already handed this step's code, wait for the next step (refused when that is more than ${MAX_OTP_WAIT_SECONDS} s away)`),
  })
  .strict()
  .default({});
