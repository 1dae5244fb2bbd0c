import type { z } from 'zod';
import type { VaultItemKind } from '../store/keys';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route's function may touch; the CDK stack turns this into its IAM grants, nothing more. */
export interface RouteAccess {
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
}

/** Request input as the handler sees it, before validation. */
export interface RawInput {
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: unknown;
}

export interface RouteDefinition<S extends z.ZodType = z.ZodType> {
  /** Operation name: also the folder `lambdas/<op>/` and the function's name. */
  op: string;
  method: HttpMethod;
  /** API Gateway path template, e.g. `/v1/secrets/{secretId}`. */
  path: string;
  summary: string;
  /** Policy action this operation performs (audited as the event's action). */
  action?: string;
  /** Validates `{ params, query, body }`; the handler receives its output. */
  input: S;
  /** `none` only for health; everything else needs a verified caller. */
  auth: 'required' | 'none';
  /** Status of a successful answer. */
  successStatus: 200 | 201 | 204;
  /** Whether a body is expected (JSON); routes without one reject a non-empty body. */
  body: 'json' | 'none' | 'optional';
  /** Largest accepted body in bytes, checked before parsing. */
  maxBodyBytes: number;
  access: RouteAccess;
  /** Lambda sizing where the default does not fit (QR decoding wants memory; minValidSeconds waits). */
  memoryMb?: number;
  timeoutSeconds?: number;
}

/** What a row may leave out: the common case is an authenticated JSON answer to a request without a body. */
const ROUTE_DEFAULTS = { auth: 'required', successStatus: 200, body: 'none', maxBodyBytes: 0 } as const;
type Defaulted = keyof typeof ROUTE_DEFAULTS;
export type RouteSpec<S extends z.ZodType> = Omit<RouteDefinition<S>, Defaulted> & Partial<Pick<RouteDefinition<S>, Defaulted>>;

/**
 * A route table row with the defaults filled in. Keeps the operation name literal, so
 * `routeFor('generateOtp')` knows its input type.
 */
export function route<const Op extends string, S extends z.ZodType>(spec: RouteSpec<S> & { op: Op }): RouteDefinition<S> & { op: Op } {
  return { ...ROUTE_DEFAULTS, ...spec };
}

/** Matches `{name}` segments of a path template. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);
}
