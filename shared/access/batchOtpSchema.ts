import * as z from 'zod';
import { GenerateOtpBody, SECRET_LIMITS } from '../secrets/schema';

// The schema alone, for the route table: the batch code itself would pull more into every function's bundle.

export const BATCH_OTP_LIMITS = {
  /** Most secrets one request may generate codes for; a wider prefix is refused before any code is made. */
  maxSecrets: 50,
  /** Codes generated at once. */
  parallel: 4,
} as const;

export const GenerateOtpsBody = z
  .object({
    prefix: z
      .string()
      .max(SECRET_LIMITS.maxPathLength)
      .regex(/^\//, 'prefix starts with "/"')
      .describe('Every secret whose path starts with this and on which the caller may otp:generate, e.g. /aws/'),
    minValidSeconds: GenerateOtpBody.unwrap().shape.minValidSeconds,
  })
  .strict();

