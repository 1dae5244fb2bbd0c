import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidInputError, TooLargeError, UnsupportedMediaError } from '../errors';
import type { RawInput, RouteDefinition } from './route';

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Body bytes, size-checked before anything parses them. */
function bodyText(event: APIGatewayProxyEventV2, route: RouteDefinition): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (route.body === 'none') throw new InvalidInputError(`${route.method} ${route.path} takes no request body`);
  if (bytes.length > route.maxBodyBytes) {
    throw new TooLargeError(`the request body is ${bytes.length} bytes; this endpoint accepts at most ${route.maxBodyBytes}`, {
      limit: route.maxBodyBytes,
    });
  }
  return bytes.toString('utf8');
}

export function parseBody(event: APIGatewayProxyEventV2, route: RouteDefinition): unknown {
  const text = bodyText(event, route);
  if (text === undefined) {
    if (route.body === 'json') throw new InvalidInputError('a JSON request body is required');
    return undefined;
  }
  const type = header(event, 'content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new UnsupportedMediaError(`send the body as application/json (got ${type ? JSON.stringify(type.slice(0, 100)) : 'no Content-Type'})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the body, which may hold a seed: say only what is wrong.
    throw new InvalidInputError('the request body is not valid JSON');
  }
}

/** Validates `{ params, query, body }` with the route's schema; lists every problem at once. */
export function validate<S extends z.ZodType>(schema: S, raw: RawInput): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.field}: ${p.message}`)
    .join('; ');
  throw new InvalidInputError(`invalid request: ${summary}`, { problems });
}

export function rawInput(event: APIGatewayProxyEventV2, route: RouteDefinition): RawInput {
  return {
    params: { ...(event.pathParameters ?? {}) },
    query: { ...(event.queryStringParameters ?? {}) },
    body: parseBody(event, route),
  };
}
