import { FUNCTION_DEFAULTS } from './route';

/** A vault function's name (the folder `lambdas/<name>/`) and sizing. */
export interface FunctionSizing {
  name: string;
  memoryMb: number;
  timeoutSeconds: number;
}

/** The people authorizer API Gateway runs before every route that needs a caller (not a route itself). */
export const AUTHORIZER_FUNCTION: FunctionSizing = { name: 'authorizer', ...FUNCTION_DEFAULTS };

/**
 * How the audit outbox's stream is read by its two consumers (the event source mappings in AWS, the
 * local pollers): at most this many records per invocation, gathered for at most this long.
 */
export const OUTBOX_BATCHING = { maxRecords: 100, windowSeconds: 1 } as const;

/** The second consumer of the outbox's stream (not a route): turns marked events into alerts. */
export const ALERT_PUBLISHER_FUNCTION: FunctionSizing = { name: 'alertPublisher', memoryMb: FUNCTION_DEFAULTS.memoryMb, timeoutSeconds: 60 };

/** The consumer of the audit outbox's stream (not a route): a batch may wait on S3 and a digest. */
export const AUDIT_CONSUMER_FUNCTION: FunctionSizing = { name: 'auditStreamConsumer', memoryMb: FUNCTION_DEFAULTS.memoryMb, timeoutSeconds: 60 };

/**
 * Runs every minute (not a route): turns closed refusal windows into summary audit events. A sweep
 * after a flood from many sources has many windows to write; what it does not finish, the next does.
 */
export const REFUSAL_SWEEPER_FUNCTION: FunctionSizing = { name: 'refusalSweeper', memoryMb: FUNCTION_DEFAULTS.memoryMb, timeoutSeconds: 50 };
