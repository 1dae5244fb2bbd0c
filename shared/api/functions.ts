import { FUNCTION_DEFAULTS } from './route';

/** A vault function's name (the folder `lambdas/<name>/`) and sizing. */
export interface FunctionSizing {
  name: string;
  memoryMb: number;
  timeoutSeconds: number;
}

/** The people authorizer API Gateway runs before every route that needs a caller (not a route itself). */
export const AUTHORIZER_FUNCTION: FunctionSizing = { name: 'authorizer', ...FUNCTION_DEFAULTS };

/** The consumer of the audit outbox's stream (not a route): a batch may wait on S3 and a digest. */
export const AUDIT_CONSUMER_FUNCTION: FunctionSizing = { name: 'auditStreamConsumer', memoryMb: FUNCTION_DEFAULTS.memoryMb, timeoutSeconds: 60 };
