import * as z from 'zod';
import { utcDay } from './keys';

/** Days one verify call may span: it reads every digest and archive object of those days. */
export const VERIFY_LIMITS = { maxDays: 31 } as const;

const DAY_MS = 86_400_000;

/** A UTC day: `YYYY-MM-DD`, or an ISO time standing for its UTC day. */
const UtcDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, 'a day (YYYY-MM-DD) or an ISO 8601 time')
  .refine((text) => {
    const time = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    // Date.parse rolls 2026-02-30 over into March: a real day reads back unchanged.
    return !Number.isNaN(time) && (text.length !== 10 || utcDay(time) === text);
  }, 'not a real date')
  .transform((text) => (text.length === 10 ? utcDay(`${text}T00:00:00Z`) : utcDay(text)));

/** Query string of `GET /v1/audit/verify`. */
export const VerifyArchiveParams = z
  .object({
    from: UtcDaySchema.describe('First UTC day to check (YYYY-MM-DD), inclusive: the digests written that day, the objects of that day and the later digests that seal them'),
    to: UtcDaySchema.optional().describe('Last UTC day to check, inclusive; defaults to from'),
  })
  .strict()
  .transform(({ from, to }) => ({ from, to: to ?? from }))
  .refine(({ from, to }) => from <= to, { message: 'from must not be after to', path: ['to'] })
  .refine(({ from, to }) => (Date.parse(to) - Date.parse(from)) / DAY_MS < VERIFY_LIMITS.maxDays, {
    message: `at most ${VERIFY_LIMITS.maxDays} days per call`,
    path: ['to'],
  });
export type VerifyArchiveParams = z.output<typeof VerifyArchiveParams>;
