import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { LIMITS } from '../../../local/apiEvent';
import { createRouteMatcher, createRouter, type LambdaHandler, type LocalRoute } from '../../../local/router';
import { incomingRequest } from './helpers';

/** A route table like the real one, without depending on the real handlers. */
const ROUTES: LocalRoute[] = [
  { op: 'health', method: 'GET', path: '/health' },
  { op: 'listSecrets', method: 'GET', path: '/v1/secrets' },
  { op: 'createSecret', method: 'POST', path: '/v1/secrets' },
  { op: 'getSecret', method: 'GET', path: '/v1/secrets/{secretId}' },
  { op: 'deleteSecret', method: 'DELETE', path: '/v1/secrets/{secretId}' },
  { op: 'generateOtp', method: 'POST', path: '/v1/secrets/{secretId}/otp', timeoutSeconds: 29 },
  { op: 'revealRecoveryCode', method: 'POST', path: '/v1/secrets/{secretId}/recovery-codes/reveal' },
  { op: 'listTemplates', method: 'GET', path: '/v1/templates' },
  { op: 'getTemplate', method: 'GET', path: '/v1/templates/{templateId}' },
  { op: 'searchTemplates', method: 'GET', path: '/v1/templates/search' },
];

interface Invocation {
  event: APIGatewayProxyEventV2;
  context: Context;
}

/** Handlers that echo what they were given, and a record of the invocations. */
function echoHandlers() {
  const invocations: Invocation[] = [];
  const loads: string[] = [];
  const loadHandler = async (op: string): Promise<LambdaHandler> => {
    loads.push(op);
    return async (event, context) => {
      invocations.push({ event, context });
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ op, params: event.pathParameters ?? null }) };
    };
  };
  return { invocations, loads, loadHandler };
}

const json = (body: Buffer) => JSON.parse(body.toString()) as Record<string, unknown>;

describe('createRouteMatcher', () => {
  const match = createRouteMatcher(ROUTES);

  it.each([
    ['GET', '/health', 'health', {}],
    ['GET', '/v1/secrets', 'listSecrets', {}],
    ['POST', '/v1/secrets', 'createSecret', {}],
    ['GET', '/v1/secrets/abc', 'getSecret', { secretId: 'abc' }],
    ['POST', '/v1/secrets/abc/otp', 'generateOtp', { secretId: 'abc' }],
    ['POST', '/v1/secrets/abc/recovery-codes/reveal', 'revealRecoveryCode', { secretId: 'abc' }],
    ['GET', '/v1/templates/webapp-otp', 'getTemplate', { templateId: 'webapp-otp' }],
  ])('matches %s %s to %s', (method, path, op, pathParameters) => {
    // Act
    const found = match(method, path);

    // Assess
    expect(found).toMatchObject({ kind: 'found', route: { op }, pathParameters });
  });

  it('names the route by method and path template', () => {
    // Act
    const found = match('POST', '/v1/secrets/abc/otp');

    // Assess
    expect(found).toMatchObject({ routeKey: 'POST /v1/secrets/{secretId}/otp' });
  });

  it('percent-decodes path parameters, including an encoded slash, as one segment', () => {
    // Act
    const found = match('GET', '/v1/secrets/a%2Fb%20c%C3%A9');

    // Assess
    expect(found).toMatchObject({ kind: 'found', route: { op: 'getSecret' }, pathParameters: { secretId: 'a/b cé' } });
  });

  it('prefers a literal segment over a parameter', () => {
    // Act
    const found = match('GET', '/v1/templates/search');

    // Assess
    expect(found).toMatchObject({ kind: 'found', route: { op: 'searchTemplates' } });
  });

  it.each(['/v1/secrets/', '/v1/secrets//otp', '/v1/secrets/abc/otp/extra', '/v2/secrets', '/Health', 'health'])(
    'finds no route for %s',
    (path) => {
      // Act and Assess
      expect(match('GET', path).kind).toBe('notFound');
    },
  );

  it('lists the allowed methods for a known path and another method', () => {
    // Act
    const found = match('PUT', '/v1/secrets/abc');

    // Assess
    expect(found).toEqual({ kind: 'methodNotAllowed', allowed: ['DELETE', 'GET'] });
  });

  it('reports malformed percent-encoding in a parameter', () => {
    // Act
    const found = match('GET', '/v1/secrets/%E0%A4%A');

    // Assess
    expect(found.kind).toBe('badPath');
  });

  it('refuses a path template it cannot match faithfully', () => {
    // Act and Assess
    expect(() => createRouteMatcher([{ op: 'proxy', method: 'GET', path: '/files/{path+}' }])).toThrow(/unsupported path segment/);
  });
});

describe('createRouter', () => {
  it('invokes the handler with the event and a context for its function', async () => {
    // Prepare
    const { invocations, loadHandler } = echoHandlers();
    const router = createRouter({ routes: ROUTES, loadHandler });

    // Act
    const response = await router.handle(incomingRequest({ method: 'POST', target: '/v1/secrets/s%201/otp?x=1' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(json(response.body)).toEqual({ op: 'generateOtp', params: { secretId: 's 1' } });
    const [invocation] = invocations;
    expect(invocation?.event.routeKey).toBe('POST /v1/secrets/{secretId}/otp');
    expect(invocation?.event.queryStringParameters).toEqual({ x: '1' });
    expect(invocation?.context.functionName).toBe('otpvault-generateOtp');
    expect(invocation?.context.getRemainingTimeInMillis()).toBeGreaterThan(28_000);
  });

  it('imports each handler once, on its first request', async () => {
    // Prepare
    const { loads, loadHandler } = echoHandlers();
    const router = createRouter({ routes: ROUTES, loadHandler });

    // Act
    await Promise.all([router.handle(incomingRequest()), router.handle(incomingRequest()), router.handle(incomingRequest())]);
    await router.handle(incomingRequest({ target: '/v1/secrets' }));

    // Assess
    expect(loads).toEqual(['health', 'listSecrets']);
  });

  it('answers 404 in the API error shape for an unknown path', async () => {
    // Prepare
    const router = createRouter({ routes: ROUTES, loadHandler: echoHandlers().loadHandler });

    // Act
    const response = await router.handle(incomingRequest({ target: '/x?y=1' }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(json(response.body)).toEqual({ error: { code: 'NotFound', message: 'no route for GET /x' } });
  });

  it('answers 405 with an allow header for a known path and another method', async () => {
    // Prepare
    const router = createRouter({ routes: ROUTES, loadHandler: echoHandlers().loadHandler });

    // Act
    const response = await router.handle(incomingRequest({ method: 'PATCH', target: '/v1/secrets' }));

    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers).toContainEqual(['allow', 'GET, POST']);
    expect(json(response.body)).toMatchObject({ error: { code: 'MethodNotAllowed' } });
  });

  it('answers 400 for malformed percent-encoding without calling a handler', async () => {
    // Prepare
    const { invocations, loadHandler } = echoHandlers();
    const router = createRouter({ routes: ROUTES, loadHandler });

    // Act
    const response = await router.handle(incomingRequest({ target: '/v1/secrets/%ZZ' }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(invocations).toHaveLength(0);
  });

  it('answers 413 for a body over 10 MB without calling the handler', async () => {
    // Prepare
    const { invocations, loadHandler } = echoHandlers();
    const router = createRouter({ routes: ROUTES, loadHandler });

    // Act
    const response = await router.handle(
      incomingRequest({ method: 'POST', target: '/v1/secrets', body: Buffer.alloc(LIMITS.requestBodyBytes + 1) }),
    );

    // Assess
    expect(response.statusCode).toBe(413);
    expect(json(response.body)).toMatchObject({ error: { code: 'PayloadTooLarge' } });
    expect(invocations).toHaveLength(0);
  });

  it('answers 413 when the base64-encoded body makes an event larger than Lambda accepts', async () => {
    // Prepare
    const { invocations, loadHandler } = echoHandlers();
    const router = createRouter({ routes: ROUTES, loadHandler });
    const picture = Buffer.alloc(5_000_000);

    // Act
    const response = await router.handle(
      incomingRequest({ method: 'POST', target: '/v1/secrets', rawHeaders: ['Content-Type', 'image/png'], body: picture }),
    );

    // Assess
    expect(response.statusCode).toBe(413);
    expect(json(response.body)).toMatchObject({ error: { message: expect.stringMatching(/Lambda accepts at most/) } });
    expect(invocations).toHaveLength(0);
  });

  it('answers 500 InternalError when the handler throws, and logs the stack', async () => {
    // Prepare
    const lines: string[] = [];
    const router = createRouter({
      routes: ROUTES,
      loadHandler: async () => async () => {
        throw new Error('boom');
      },
      log: (line) => lines.push(line),
    });

    // Act
    const response = await router.handle(incomingRequest());

    // Assess
    expect(response.statusCode).toBe(500);
    expect(json(response.body)).toMatchObject({ error: { code: 'InternalError' } });
    expect(response.body.toString()).not.toContain('boom');
    expect(lines.join('\n')).toContain('Error: boom');
  });

  it('answers 500 when the handler returns a malformed response', async () => {
    // Prepare
    const router = createRouter({ routes: ROUTES, loadHandler: async () => async () => ({ statusCode: 'teapot' }) });

    // Act
    const response = await router.handle(incomingRequest());

    // Assess
    expect(response.statusCode).toBe(500);
  });

  it('answers 500 when the handler runs past its timeout', async () => {
    // Prepare: a 50 ms timeout keeps the test fast
    const router = createRouter({
      routes: [{ op: 'slow', method: 'GET', path: '/slow', timeoutSeconds: 0.05 }],
      loadHandler: async () => () => new Promise(() => undefined),
      enforceTimeouts: true,
    });

    // Act
    const response = await router.handle(incomingRequest({ target: '/slow' }));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(json(response.body)).toMatchObject({ error: { message: expect.stringMatching(/did not finish within its 0.05 s timeout/) } });
  });

  it('answers 501 for an operation whose handler file does not exist yet', async () => {
    // Prepare: the default loader imports lambdas/<op>/handler.ts
    const router = createRouter({ routes: [{ op: 'noSuchOperationYet', method: 'GET', path: '/later' }] });

    // Act
    const response = await router.handle(incomingRequest({ target: '/later' }));

    // Assess
    expect(response.statusCode).toBe(501);
    expect(json(response.body)).toEqual({
      error: { code: 'NotImplemented', message: 'lambdas/noSuchOperationYet/handler.ts does not exist yet' },
    });
  });

  it('retries a handler whose import failed', async () => {
    // Prepare
    let attempts = 0;
    const router = createRouter({
      routes: ROUTES,
      loadHandler: async () => {
        attempts++;
        if (attempts === 1) throw new SyntaxError('half-saved file');
        return async () => ({ statusCode: 204 });
      },
    });

    // Act
    const first = await router.handle(incomingRequest());
    const second = await router.handle(incomingRequest());

    // Assess
    expect([first.statusCode, second.statusCode]).toEqual([500, 204]);
  });

  it('logs one line per request', async () => {
    // Prepare
    const lines: string[] = [];
    const router = createRouter({ routes: ROUTES, loadHandler: echoHandlers().loadHandler, log: (line) => lines.push(line) });

    // Act
    await router.handle(incomingRequest({ target: '/v1/secrets/abc?q=secret' }));

    // Assess
    expect(lines).toEqual([expect.stringMatching(/^GET \/v1\/secrets\/abc -> 200 \d+ ms \(getSecret\)$/)]);
  });
});
