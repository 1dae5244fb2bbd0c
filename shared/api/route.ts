import type { z } from 'zod';
import type { AccessTarget } from '../access';
import type { VaultItemKind } from '../store/keys';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Lambda sizing of every vault function whose row (or construct) says nothing else. */
export const FUNCTION_DEFAULTS = {
  /** @default 512 */
  memoryMb: 512,
  /** @default 10 */
  timeoutSeconds: 10,
} as const;

/** What a route's function may touch; the CDK stack turns this into its IAM grants, nothing more. */
export interface RouteGrants {
  /** `read`: GetItem/Query; `write`: also Put/Update/Delete/ConditionCheck (transactions). */
  vault?: 'read' | 'write';
  /** With `vault: 'write'`: the only partitions it may write (`dynamodb:LeadingKeys`). */
  writes?: readonly VaultItemKind[];
  /** KMS operations on the vault key (always constrained to an encryption context naming a secret). */
  kms?: readonly ('Encrypt' | 'Decrypt')[];
  /**
   * `wholeFieldsOnly`: the KMS calls may carry no `otpvault:part`, the key every seed version and
   * recovery code is bound with: the function can decrypt sensitive fields, never a seed or code.
   */
  kmsContext?: 'wholeFieldsOnly';
  /** `read`: Query on the audit table and its indexes (only the stream consumer writes it). */
  audit?: 'read';
  /** CloudTrail operations (`cloudtrail:LookupEvents` supports no resource restriction: `*`). */
  cloudTrail?: readonly 'LookupEvents'[];
  /** `verify`: read the audit archive bucket (objects and digests) and the digest-signing key's public half. */
  archive?: 'verify';
  /**
   * `lookup`: find a username's account (sub) in the user directory, to bind the users a policy
   * names (`cognito-idp:AdminGetUser` on the stack's user pool, nothing else).
   */
  users?: 'lookup';
}

/** Request input as the handler sees it, before validation. */
export interface RawInput {
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: unknown;
}

/** An operation as a row declares it (see `route()` for what may be left out). */
export interface RouteSpec<S extends z.ZodType = z.ZodType> {
  /** Operation name: also the folder `lambdas/<op>/` and the function's name. */
  op: string;
  method: HttpMethod;
  /** API Gateway path template, e.g. `/v1/secrets/{secretId}`. */
  path: string;
  /** One line of help (OpenAPI summary, CLI help). */
  summary: string;
  /** Validates `{ params, query, body }`; the handler receives its output. */
  input: S;
  /** What is decided before the handler runs, and on what (see `AccessTarget`). */
  authorize: AccessTarget<z.output<S>>;
  /** Status of a successful answer. @default 200 */
  successStatus?: 200 | 201 | 204;
  /** Whether a body is expected (JSON); routes without one reject a non-empty body. @default 'none' */
  body?: 'json' | 'none' | 'optional';
  /** Largest accepted body in bytes, checked before parsing. @default 0 */
  maxBodyBytes?: number;
  grants: RouteGrants;
  /** Lambda memory (QR decoding wants more). @default FUNCTION_DEFAULTS.memoryMb */
  memoryMb?: number;
  /** Lambda timeout (minValidSeconds waits for the next step). @default FUNCTION_DEFAULTS.timeoutSeconds */
  timeoutSeconds?: number;
  /**
   * The function reads pictures (QR codes in PNG, JPEG, HEIC, WebP, AVIF): its bundle carries the picture
   * decoders and their .wasm binaries; every other bundle leaves them out (infra `bundleExternals`). @default false
   */
  decodesPictures?: boolean;
  /**
   * Items of the secret an `on: 'secret'` row decides on, read in the same batch as the decision's
   * reads (the policy-set version and the secret): one BatchGetItem instead of a GetItem after it.
   * Only items that reveal nothing by themselves: the seed (a KMS ciphertext, opened after the
   * request's audit event is durable) and `lastCode` (who had the current step's code first, for the
   * reuse warning). The handler gets them only once the request is allowed. A denied request reads
   * them for nothing (one more item each in the batch). @default []
   */
  readsWithDecision?: readonly ReadWithDecision[];
}

/** An item a row may read with its decision (`readsWithDecision`). */
export type ReadWithDecision = 'seed' | 'lastCode';

/** A row with every default filled in, plus what follows from its authorization. */
export interface RouteDefinition<S extends z.ZodType = z.ZodType> extends Required<RouteSpec<S>> {
  /** `none` only for health and the API description; everything else needs a verified caller (follows from `authorize.on`). */
  auth: 'required' | 'none';
  /** Audited as the event's action: the one action asked for, else the operation name. */
  action: string;
}

/** What a row may leave out: the common case is an authenticated JSON answer to a request without a body. */
const ROUTE_DEFAULTS = { successStatus: 200, body: 'none', maxBodyBytes: 0, ...FUNCTION_DEFAULTS, decodesPictures: false, readsWithDecision: [] } as const;

/**
 * A route table row with the defaults filled in. Keeps the operation name and the authorization
 * literal, so `operation(row, …)` knows its input type and whether a secret is loaded.
 *
 * @example
 * export const getSecret = route({
 *   op: 'getSecret', method: 'GET', path: '/v1/secrets/{secretId}', summary: 'Show a secret',
 *   input: secretOnly, authorize: { on: 'secret', action: 'secret:read' }, grants: { vault: 'read' },
 * });
 */
export function route<const Op extends string, S extends z.ZodType, const On extends AccessTarget['on']>(
  spec: RouteSpec<S> & { op: Op; authorize: { on: On } },
): RouteDefinition<S> & { op: Op; authorize: { on: On } } {
  return { ...ROUTE_DEFAULTS, ...spec, auth: spec.authorize.on === 'none' ? 'none' : 'required', action: auditedAction(spec) };
}

function auditedAction(spec: Pick<RouteSpec, 'op' | 'authorize'>): string {
  const a = spec.authorize;
  if ('action' in a) return a.action;
  if (a.on === 'anywhere' && a.anyOf.length === 1) return a.anyOf[0];
  return spec.op;
}
