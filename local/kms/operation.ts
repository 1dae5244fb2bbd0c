/**
 * The shape of one emulated API operation. Each operation lives in its own file under
 * `operations/` and describes itself: its wire name, whether it is recorded in the trail (and with
 * which request parameters), and its handler. `server.ts` only wires them.
 */
import type { Caller } from './caller';
import type { Json, JsonObject } from './input';
import type { KeyStore } from './KeyStore';
import type { Trail } from './Trail';

/** A JSON response body. */
export type JsonResponse = { [key: string]: Json };

export interface OperationContext {
  caller: Caller;
  requestId: string;
  /** The time of the request, shared by the handler and its trail record. */
  now: Date;
  keys: KeyStore;
  trail: Trail;
  /** Filled in by recorded operations as soon as they know which key the call uses. */
  audit: { keyArn?: string };
}

export interface Operation {
  /** The operation name in `X-Amz-Target` (after the service prefix), e.g. `Decrypt`. */
  name: string;
  /**
   * Present when every call, success or failure, is recorded in the trail. Must not throw and must
   * never return a plaintext, data key or ciphertext.
   */
  recorded?: { requestParameters(input: JsonObject): JsonResponse };
  run(input: JsonObject, context: OperationContext): Promise<JsonResponse> | JsonResponse;
}
