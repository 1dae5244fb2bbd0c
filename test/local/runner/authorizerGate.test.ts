import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { buildApiEvent } from '../../../local/apiEvent';
import { authorizerOutcome, buildAuthorizerEvent } from '../../../local/authorizerEvent';
import type { AuthorizerHandler } from '../../../local/authorizerGate';
import { createRouter, type LambdaHandler, type LocalRoute } from '../../../local/router';
import { incomingRequest } from './helpers';

/** Like API Gateway, the local router runs the Lambda authorizer before every route that needs a caller. */

const ROUTES: LocalRoute[] = [
  { op: 'health', method: 'GET', path: '/health', auth: 'none' },
  { op: 'getSecret', method: 'GET', path: '/v1/secrets/{secretId}', auth: 'required' },
];
const ALICE = { principal: 'user:alice', kind: 'user', name: 'alice', groups: '["ops"]' };

function setup(authorizer: AuthorizerHandler) {
  const seen: { authorizer: APIGatewayRequestAuthorizerEventV2[]; route: APIGatewayProxyEventV2[] } = { authorizer: [], route: [] };
  const log: string[] = [];
  const loadHandler = async (): Promise<LambdaHandler> => async (event) => {
    seen.route.push(event);
    return { statusCode: 200, body: '{}' };
  };
  const router = createRouter({
    routes: ROUTES,
    loadHandler,
    log: (line) => log.push(line),
    loadAuthorizer: async () => async (event, context) => {
      seen.authorizer.push(event);
      return authorizer(event, context);
    },
  });
  return { router, seen, log };
}

const secretRequest = (headers: string[] = []) =>
  incomingRequest({ target: '/v1/secrets/s-1?view=full', rawHeaders: ['Host', '127.0.0.1:8787', 'User-Agent', 'curl/8.5.0', ...headers] });
const body = (buffer: Buffer) => JSON.parse(buffer.toString()) as unknown;

describe('the local authorizer step', () => {
  it('passes the authorizer’s context to the route as requestContext.authorizer.lambda', async () => {
    // Prepare
    const { router, seen } = setup(async () => ({ isAuthorized: true, context: ALICE }));

    // Act
    const response = await router.handle(secretRequest(['Authorization', 'Bearer t0k3n']));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(seen.route).toHaveLength(1);
    expect((seen.route[0]?.requestContext as unknown as { authorizer: unknown }).authorizer).toEqual({ lambda: ALICE });
  });

  it('sends the authorizer a payload 2.0 REQUEST event for the route', async () => {
    // Prepare
    const { router, seen } = setup(async () => ({ isAuthorized: true, context: ALICE }));

    // Act
    await router.handle(secretRequest(['Authorization', 'Bearer t0k3n']));

    // Assess
    expect(seen.authorizer[0]).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:000000000000:local/$default/GET/v1/secrets/s-1',
      identitySource: ['Bearer t0k3n'],
      routeKey: 'GET /v1/secrets/{secretId}',
      rawPath: '/v1/secrets/s-1',
      rawQueryString: 'view=full',
      headers: { authorization: 'Bearer t0k3n', 'user-agent': 'curl/8.5.0' },
      queryStringParameters: { view: 'full' },
      pathParameters: { secretId: 's-1' },
      requestContext: { http: { method: 'GET', path: '/v1/secrets/s-1' }, stage: '$default', routeKey: 'GET /v1/secrets/{secretId}' },
    });
    expect(seen.authorizer[0]).not.toHaveProperty('body');
  });

  it('answers 401 without calling the authorizer when the Authorization header is missing', async () => {
    // Prepare
    const { router, seen } = setup(async () => ({ isAuthorized: true, context: ALICE }));

    // Act
    const response = await router.handle(secretRequest());

    // Assess
    expect(response.statusCode).toBe(401);
    expect(body(response.body)).toEqual({ error: { code: 'Unauthenticated', message: 'missing Authorization header (expected "Bearer <token>")' } });
    expect(seen.authorizer).toEqual([]);
    expect(seen.route).toEqual([]);
  });

  it('answers 401 for an empty Authorization header, like a missing identity source', async () => {
    // Prepare
    const { router, seen } = setup(async () => ({ isAuthorized: true, context: ALICE }));

    // Act
    const response = await router.handle(secretRequest(['Authorization', '']));

    // Assess
    expect(response.statusCode).toBe(401);
    expect(seen.authorizer).toEqual([]);
  });

  it('answers 403 with the authorizer’s reason when it refuses, and never runs the route', async () => {
    // Prepare
    const { router, seen } = setup(async () => ({ isAuthorized: false, context: { reason: 'the bearer token was rejected: it has expired' } }));

    // Act
    const response = await router.handle(secretRequest(['Authorization', 'Bearer old']));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(body(response.body)).toEqual({ error: { code: 'Unauthenticated', message: 'the bearer token was rejected: it has expired' } });
    expect(seen.route).toEqual([]);
  });

  it.each([
    ['throws', async () => Promise.reject(new Error('JWKS unreachable'))],
    ['answers without isAuthorized', async () => ({ context: ALICE })],
    ['puts an object in the context', async () => ({ isAuthorized: true, context: { principal: { id: 'user:alice' } } })],
  ])('answers 500 when the authorizer %s, and never runs the route', async (_case, authorizer) => {
    // Prepare
    const { router, seen, log } = setup(authorizer as AuthorizerHandler);

    // Act
    const response = await router.handle(secretRequest(['Authorization', 'Bearer t0k3n']));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(body(response.body)).toMatchObject({ error: { code: 'InternalError' } });
    expect(seen.route).toEqual([]);
    expect(log.some((line) => line.startsWith('the authorizer failed'))).toBe(true);
  });

  it('does not run the authorizer for a public route', async () => {
    // Prepare
    const { router, seen } = setup(async () => ({ isAuthorized: false }));

    // Act
    const response = await router.handle(incomingRequest({ target: '/health' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(seen.authorizer).toEqual([]);
    expect((seen.route[0]?.requestContext as unknown as { authorizer?: unknown }).authorizer).toBeUndefined();
  });

  it('keeps a client from supplying the authorizer context itself', async () => {
    // Prepare
    const { router, seen } = setup(async () => ({ isAuthorized: true, context: ALICE }));

    // Act
    await router.handle(secretRequest(['Authorization', 'Bearer t0k3n', 'X-Amzn-Authorizer', '{"lambda":{"principal":"user:root"}}']));

    // Assess
    expect((seen.route[0]?.requestContext as unknown as { authorizer: unknown }).authorizer).toEqual({ lambda: ALICE });
  });
});

describe('buildAuthorizerEvent', () => {
  it('leaves out the body and keeps the cookies', () => {
    // Prepare
    const event = buildApiEvent(
      incomingRequest({ method: 'POST', target: '/v1/secrets/s-1', rawHeaders: ['Authorization', 'Bearer t', 'Cookie', 'a=1; b=2', 'Content-Type', 'application/json'], body: Buffer.from('{"seed":"JBSWY3DP"}') }),
      { routeKey: 'POST /v1/secrets/{secretId}', pathParameters: { secretId: 's-1' } },
    );

    // Act
    const authorizerEvent = buildAuthorizerEvent(event);

    // Assess
    expect(authorizerEvent?.cookies).toEqual(['a=1', 'b=2']);
    expect(JSON.stringify(authorizerEvent)).not.toContain('JBSWY3DP');
  });
});

describe('authorizerOutcome', () => {
  it.each([
    ['an allow with string, number and boolean values', { isAuthorized: true, context: { a: 'x', b: 1, c: true } }, { allowed: true, context: { a: 'x', b: 1, c: true } }],
    ['an allow without context', { isAuthorized: true }, { allowed: true, context: {} }],
    ['a denial with a reason', { isAuthorized: false, context: { reason: 'expired' } }, { allowed: false, reason: 'expired' }],
    ['a denial without context', { isAuthorized: false }, { allowed: false, reason: undefined }],
  ])('reads %s', (_case, result, outcome) => {
    // Act / Assess
    expect(authorizerOutcome(result)).toEqual(outcome);
  });

  it.each([
    ['nothing', undefined],
    ['an IAM policy response', { principalId: 'alice', policyDocument: {} }],
    ['isAuthorized as a string', { isAuthorized: 'true' }],
    ['a context that is an array', { isAuthorized: true, context: ['x'] }],
  ])('refuses %s as malformed', (_case, result) => {
    // Act / Assess
    expect(() => authorizerOutcome(result)).toThrow(/authorizer/);
  });
});
