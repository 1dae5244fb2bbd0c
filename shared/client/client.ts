/**
 * The typed API client: one way to call the vault, for the CLI, the console and the tests.
 * fetch-based and free of Node-only imports; how a request is authenticated is pluggable
 * (`bearerAuth`, or `sigv4Auth` from `./sigv4`).
 */
import { OPERATIONS } from './operations';
import type { CallInput, Op, ResponseOf } from './types';

/** A request about to be sent; an authenticator returns the headers to send it with. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Adds credentials to a request (a bearer token, a SigV4 signature). */
export type Authenticate = (request: OutgoingRequest) => Promise<Record<string, string>>;

export interface ClientOptions {
  /** API base URL, e.g. `http://127.0.0.1:8787` or the stack's ApiUrl / IamApiUrl. */
  baseUrl: string;
  /** @default no credentials (public operations only) */
  authenticate?: Authenticate;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Extra headers on every request (a Node client may set user-agent). */
  headers?: Record<string, string>;
}

/** The API answered with an error status; `code` and `message` are the vault's (or the gateway's). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A raw answer (status, headers, text) for operations whose body is not JSON (audit export). */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface Client {
  /** Calls an operation and returns its parsed JSON answer (undefined for 204). @throws ApiError */
  call<O extends Op>(op: O, ...input: {} extends CallInput<O> ? [CallInput<O>?] : [CallInput<O>]): Promise<ResponseOf<O>>;
  /** Calls an operation and returns the answer as text, whatever its type. @throws ApiError */
  raw<O extends Op>(op: O, ...input: {} extends CallInput<O> ? [CallInput<O>?] : [CallInput<O>]): Promise<RawAnswer>;
}

/** Sends `Authorization: Bearer <token>`; the token may be fetched (refreshed) per request. */
export function bearerAuth(token: string | (() => Promise<string>)): Authenticate {
  return async (request) => ({ ...request.headers, authorization: `Bearer ${typeof token === 'string' ? token : await token()}` });
}

/**
 * Creates a client.
 *
 * @example
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8787', authenticate: bearerAuth(token) });
 * const { code } = await client.call('generateOtp', { params: { secretId } });
 */
export function createClient(options: ClientOptions): Client {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, '');

  const send = async (op: Op, input: Partial<Record<'params' | 'query' | 'body', unknown>> = {}): Promise<RawAnswer> => {
    const operation = OPERATIONS[op];
    const url = new URL(base + expandPath(operation.path, (input.params ?? {}) as Record<string, unknown>));
    for (const [name, value] of Object.entries((input.query ?? {}) as Record<string, unknown>)) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (input.body !== undefined && operation.body !== 'none') {
      body = JSON.stringify(input.body);
      headers['content-type'] = 'application/json';
    }
    const request: OutgoingRequest = { method: operation.method, url, headers, ...(body !== undefined ? { body } : {}) };
    const signed = options.authenticate && operation.auth === 'required' ? await options.authenticate(request) : headers;
    const response = await fetchImpl(url, { method: operation.method, headers: signed, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    if (!response.ok) throw apiError(response, text);
    return { status: response.status, headers: response.headers, text };
  };

  return {
    call: (async (op: Op, input?: Record<string, unknown>) => {
      const answer = await send(op, input);
      if (answer.status === 204 || answer.text === '') return undefined;
      return JSON.parse(answer.text) as unknown;
    }) as Client['call'],
    raw: ((op: Op, input?: Record<string, unknown>) => send(op, input)) as Client['raw'],
  };
}

/** `/v1/secrets/{secretId}` with `{ secretId }`, each value percent-encoded as one segment. */
export function expandPath(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || String(value) === '') throw new ApiError(400, 'InvalidInput', `missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

function apiError(response: Response, text: string): ApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown }; message?: unknown };
    if (parsed.error && typeof parsed.error.message === 'string') {
      const code = typeof parsed.error.code === 'string' ? parsed.error.code : `Http${response.status}`;
      const details = typeof parsed.error.details === 'object' && parsed.error.details !== null ? (parsed.error.details as Record<string, unknown>) : undefined;
      return new ApiError(response.status, code, parsed.error.message, details, requestId);
    }
    // API Gateway's own answers: {"message":"Unauthorized"} / {"message":"Forbidden"}.
    if (typeof parsed.message === 'string') return new ApiError(response.status, `Http${response.status}`, parsed.message, undefined, requestId);
  } catch {
    // Not JSON: fall through.
  }
  return new ApiError(response.status, `Http${response.status}`, text.slice(0, 200) || response.statusText, undefined, requestId);
}
