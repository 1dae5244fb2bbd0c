/**
 * What API Gateway (HTTP API, Lambda proxy integration, payload format 2.0) hands a function, and
 * what it makes of the answer. Pure functions: no sockets, so they are tested on their own.
 *
 * Reference: "Create AWS Lambda proxy integrations for HTTP APIs in API Gateway", AWS API Gateway
 * developer guide (payload format 2.0 and the response format).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { FUNCTION_DEFAULTS } from '../shared/api/route';

/** The fixed account and region of everything local. */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_LAMBDA_REGION = 'us-east-1';

/** Limits as AWS applies them. */
export const LIMITS = {
  /** API Gateway HTTP API: largest request payload. */
  requestBodyBytes: 10 * 1024 * 1024,
  /** Lambda synchronous invocation: largest event (the error says "smaller than 6291456 bytes"). */
  eventBytes: 6_291_456,
  /** Lambda synchronous invocation: largest response ("maximum allowed payload size (6291556 bytes)"). */
  responseBytes: 6_291_556,
} as const;

/** A request as the HTTP server received it. */
export interface IncomingApiRequest {
  method: string;
  /** Request target as sent: path and query, still percent-encoded (`/v1/a%20b?x=1`). */
  target: string;
  /** Header names and values in arrival order, as node's `rawHeaders`: `[name, value, name, value, ...]`. */
  rawHeaders: readonly string[];
  body: Buffer;
  /** Address of the client socket. */
  sourceIp: string;
  /** e.g. `HTTP/1.1`. */
  protocol: string;
  /** Port the server listens on, for `x-forwarded-port`. */
  port: number;
}

/** The route that matched, as the event names it. */
export interface MatchedRoute {
  /** `"POST /v1/secrets/{secretId}/otp"`. */
  routeKey: string;
  /** Percent-decoded values of the `{name}` segments; omitted from the event when empty. */
  pathParameters: Record<string, string>;
}

/** Splits a request target into its path and its query string (without `?`). */
export function splitTarget(target: string): { rawPath: string; rawQueryString: string } {
  const question = target.indexOf('?');
  return question === -1
    ? { rawPath: target, rawQueryString: '' }
    : { rawPath: target.slice(0, question), rawQueryString: target.slice(question + 1) };
}

/**
 * Builds the payload format 2.0 event API Gateway would send for `request`.
 *
 * Like API Gateway: header names are lower-cased and repeated headers joined with commas; the
 * `cookie` header moves to `cookies` (one entry per cookie); repeated query parameters are joined
 * with commas; `x-forwarded-*` and `x-amzn-trace-id` are added; a body whose content type is not
 * textual (text/*, JSON, XML, JavaScript) arrives base64-encoded. The local server speaks plain
 * HTTP, so `x-forwarded-proto` is `http`, and `domainName` keeps the port of the Host header.
 *
 * @param request - The request as received.
 * @param route - The matched route.
 * @param now - Arrival time. @default new Date()
 * @example
 * const event = buildApiEvent(request, { routeKey: 'GET /health', pathParameters: {} });
 */
export function buildApiEvent(request: IncomingApiRequest, route: MatchedRoute, now = new Date()): APIGatewayProxyEventV2 {
  const { rawPath, rawQueryString } = splitTarget(request.target);
  const { headers, cookies } = collectHeaders(request.rawHeaders);
  const sourceIp = request.sourceIp.replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(request.port);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId(now);
  const domainName = headers.host ?? `127.0.0.1:${request.port}`;
  const queryStringParameters = queryParameters(rawQueryString);
  const textual = isTextual(headers['content-type']);
  const hasBody = request.body.length > 0;

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split(/[.:]/)[0] ?? domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: request.protocol,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: route.pathParameters } : {}),
    ...(hasBody ? { body: textual ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !textual,
  };
  return event;
}

function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter((cookie) => cookie.length > 0));
    } else {
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
    }
  }
  return { headers, cookies };
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

/** Content types API Gateway passes as text; anything else (or none) arrives base64-encoded. */
export function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function clfTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** What the Lambda context is built from. */
export interface ContextOptions {
  /** Operation name; the function is `otpvault-<op>`. */
  op: string;
  /** The function's timeout. @default FUNCTION_DEFAULTS.timeoutSeconds */
  timeoutSeconds?: number;
  /** The function's memory. @default FUNCTION_DEFAULTS.memoryMb */
  memoryMb?: number;
  /** Epoch milliseconds at invocation; the deadline counts from here. @default Date.now() */
  startedAt?: number;
  /** Clock for `getRemainingTimeInMillis`. @default Date.now */
  now?: () => number;
}

/**
 * A Lambda context for one invocation of `otpvault-<op>`.
 *
 * @param options - Operation, timeout, memory and clock.
 * @example
 * const context = buildLambdaContext({ op: 'generateOtp', timeoutSeconds: 29 });
 */
export function buildLambdaContext(options: ContextOptions): Context {
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const timeoutMs = (options.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds) * 1000;
  const functionName = `otpvault-${options.op}`;
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported by the local runner: return a promise from the handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_LAMBDA_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? FUNCTION_DEFAULTS.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, startedAt + timeoutMs - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

/** An HTTP answer ready to write: headers as `[name, value]` pairs so a name may repeat. */
export interface LocalResponse {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

/** The function's answer cannot be turned into an HTTP response (API Gateway answers 500). */
export class MalformedResponseError extends Error {
  constructor(detail: string) {
    super(`the handler returned a malformed response: ${detail}`);
    this.name = 'MalformedResponseError';
  }
}

/**
 * Turns a function's result into the HTTP response API Gateway would send.
 *
 * A result with `statusCode` is used as is: `headers` (values may be strings, numbers or booleans;
 * a value with commas stays one header), `cookies` (each becomes its own `set-cookie` header),
 * `body` and `isBase64Encoded`. Any other result is JSON: status 200, `content-type:
 * application/json`, the result serialised as the body.
 *
 * @param result - What the handler resolved to.
 * @throws MalformedResponseError when the shape is wrong or it is larger than Lambda returns.
 * @example
 * const response = toLocalResponse({ statusCode: 204 });
 */
export function toLocalResponse(result: unknown): LocalResponse {
  const size = Buffer.byteLength(JSON.stringify(result) ?? 'null');
  if (size > LIMITS.responseBytes) {
    throw new MalformedResponseError(`it is ${size} bytes, more than Lambda returns (${LIMITS.responseBytes})`);
  }
  if (!isRecord(result) || !('statusCode' in result)) {
    return {
      statusCode: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(result) ?? 'null'),
    };
  }
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded = false } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new MalformedResponseError(`statusCode must be an integer from 100 to 599, got ${JSON.stringify(statusCode)}`);
  }
  if (!isRecord(headers)) throw new MalformedResponseError('headers must be an object');
  if (!Array.isArray(cookies) || !cookies.every((cookie) => typeof cookie === 'string')) {
    throw new MalformedResponseError('cookies must be an array of strings');
  }
  if (body !== undefined && body !== null && typeof body !== 'string') throw new MalformedResponseError('body must be a string');
  if (typeof isBase64Encoded !== 'boolean') throw new MalformedResponseError('isBase64Encoded must be a boolean');

  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new MalformedResponseError(`header ${name} must be a string, number or boolean`);
    }
    pairs.push([name.toLowerCase(), String(value)]);
  }
  for (const cookie of cookies as string[]) pairs.push(['set-cookie', cookie]);
  const text = typeof body === 'string' ? body : '';
  return { statusCode, headers: pairs, body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

/**
 * A JSON error in the API's own shape: `{"error":{"code":...,"message":...}}`.
 *
 * @param statusCode - HTTP status.
 * @param code - Stable machine-readable code, e.g. `NotFound`.
 * @param message - One plain sentence.
 * @param headers - Extra headers, e.g. `allow`.
 */
export function errorResponse(statusCode: number, code: string, message: string, headers: [string, string][] = []): LocalResponse {
  return {
    statusCode,
    headers: [['content-type', 'application/json'], ...headers],
    body: Buffer.from(JSON.stringify({ error: { code, message } })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
