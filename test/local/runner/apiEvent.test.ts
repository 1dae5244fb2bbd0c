import {
  buildApiEvent,
  buildLambdaContext,
  clfTime,
  isTextual,
  LIMITS,
  MalformedResponseError,
  toLocalResponse,
} from '../../../local/apiEvent';
import { incomingRequest } from './helpers';

/**
 * The shape of the payload format 2.0 example in the API Gateway developer guide ("Create AWS Lambda
 * proxy integrations for HTTP APIs"), with our own values. Its members we never send locally:
 * `requestContext.authentication` (mutual TLS), `requestContext.authorizer` (the functions verify
 * tokens themselves, no API Gateway authorizer) and `stageVariables` (none defined).
 */
const DOCUMENTED_EXAMPLE = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  cookies: ['cookie1', 'cookie2'],
  headers: { header1: 'value1', header2: 'value1,value2' },
  queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api-id',
    authentication: {},
    authorizer: {},
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'id',
    http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
    requestId: 'id',
    routeKey: '$default',
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  },
  body: 'Hello from Lambda',
  pathParameters: { parameter1: 'value1' },
  isBase64Encoded: false,
  stageVariables: { stageVariable1: 'value1' },
};
const NEVER_SENT_LOCALLY = ['requestContext.authentication', 'requestContext.authorizer', 'stageVariables'];

/** `a.b.c: type` for every leaf, so two events can be compared by shape. */
function shape(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${prefix}: ${Array.isArray(value) ? 'array' : typeof value}`];
  }
  const entries = Object.entries(value);
  if (entries.length === 0 || (prefix !== '' && ['headers', 'queryStringParameters', 'pathParameters', 'stageVariables'].includes(prefix))) {
    return [`${prefix}: object`];
  }
  return entries.flatMap(([key, child]) => shape(child, prefix ? `${prefix}.${key}` : key));
}

const sampleRequest = () =>
  incomingRequest({
    method: 'POST',
    target: '/v1/secrets/s%2D1/otp?parameter1=value1&parameter1=value2&parameter2=a%20b',
    rawHeaders: [
      'Host', '127.0.0.1:8787',
      'User-Agent', 'curl/8.5.0',
      'Content-Type', 'application/json',
      'X-Custom', 'one',
      'x-custom', 'two',
      'Cookie', 'session=abc; theme=dark',
      'Authorization', 'Bearer t0ken',
    ],
    body: Buffer.from('{"minValidSeconds":5}'),
    sourceIp: '::ffff:127.0.0.1',
  });

describe('buildApiEvent', () => {
  it('has the members and member types of the documented payload format 2.0 example', () => {
    // Prepare
    const documented = shape(DOCUMENTED_EXAMPLE).filter((line) => !NEVER_SENT_LOCALLY.some((path) => line.startsWith(path)));

    // Act
    const event = buildApiEvent(sampleRequest(), { routeKey: 'POST /v1/secrets/{secretId}/otp', pathParameters: { secretId: 's-1' } });

    // Assess
    expect(shape(event).sort()).toEqual(documented.sort());
  });

  it('describes the request the way API Gateway does', () => {
    // Prepare
    const arrival = new Date(Date.UTC(2026, 2, 5, 9, 4, 7, 123));

    // Act
    const event = buildApiEvent(
      sampleRequest(),
      { routeKey: 'POST /v1/secrets/{secretId}/otp', pathParameters: { secretId: 's-1' } },
      arrival,
    );

    // Assess
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/secrets/{secretId}/otp',
      rawPath: '/v1/secrets/s%2D1/otp',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=a%20b',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'a b' },
      pathParameters: { secretId: 's-1' },
      body: '{"minValidSeconds":5}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: '127.0.0.1:8787',
        http: { method: 'POST', path: '/v1/secrets/s%2D1/otp', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' },
        routeKey: 'POST /v1/secrets/{secretId}/otp',
        stage: '$default',
        time: '05/Mar/2026:09:04:07 +0000',
        timeEpoch: arrival.getTime(),
      },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lower-cases header names, joins repeated headers with commas and moves cookies out', () => {
    // Act
    const { headers } = buildApiEvent(sampleRequest(), { routeKey: 'GET /health', pathParameters: {} });

    // Assess
    expect(headers['x-custom']).toBe('one,two');
    expect(headers['content-type']).toBe('application/json');
    expect(headers.authorization).toBe('Bearer t0ken');
    expect(headers).not.toHaveProperty('cookie');
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('adds the forwarding and trace headers API Gateway adds', () => {
    // Prepare
    const request = incomingRequest({ rawHeaders: ['Host', 'localhost:8787', 'X-Forwarded-For', '198.51.100.7'] });

    // Act
    const { headers } = buildApiEvent(request, { routeKey: 'GET /health', pathParameters: {} });

    // Assess
    expect(headers['x-forwarded-for']).toBe('198.51.100.7, 127.0.0.1');
    expect(headers['x-forwarded-port']).toBe('8787');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('leaves out body, cookies, query and path parameters when the request has none', () => {
    // Act
    const event = buildApiEvent(incomingRequest(), { routeKey: 'GET /health', pathParameters: {} });

    // Assess
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('base64-encodes a body whose content type is not textual', () => {
    // Prepare
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const request = incomingRequest({ method: 'PUT', rawHeaders: ['Content-Type', 'image/png'], body: bytes });

    // Act
    const event = buildApiEvent(request, { routeKey: 'PUT /x', pathParameters: {} });

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['application/problem+json', true],
    ['text/plain', true],
    ['application/xml', true],
    ['application/octet-stream', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    [undefined, false],
  ])('treats content type %s as textual: %s', (contentType, expected) => {
    // Act and Assess
    expect(isTextual(contentType)).toBe(expected);
  });

  it('formats requestContext.time like API Gateway', () => {
    // Act and Assess
    expect(clfTime(new Date(Date.UTC(2020, 2, 12, 19, 3, 58)))).toBe('12/Mar/2020:19:03:58 +0000');
  });
});

describe('buildLambdaContext', () => {
  it('names the function after the operation and counts down from its timeout', () => {
    // Prepare
    let now = 1_000_000;

    // Act
    const context = buildLambdaContext({ op: 'generateOtp', timeoutSeconds: 29, memoryMb: 1769, startedAt: now, now: () => now });
    now += 4_000;

    // Assess
    expect(context.functionName).toBe('otpvault-generateOtp');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:otpvault-generateOtp');
    expect(context.memoryLimitInMB).toBe('1769');
    expect(context.logGroupName).toBe('/aws/lambda/otpvault-generateOtp');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBe(25_000);
  });

  it('uses a 10 second timeout when the route sets none and never goes below zero', () => {
    // Prepare
    let now = 0;
    const context = buildLambdaContext({ op: 'health', startedAt: 0, now: () => now });

    // Act
    const atStart = context.getRemainingTimeInMillis();
    now = 60_000;

    // Assess
    expect(atStart).toBe(10_000);
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });
});

describe('toLocalResponse', () => {
  it('sends a structured result with its headers and one set-cookie header per cookie', () => {
    // Act
    const response = toLocalResponse({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Count': 3, 'X-Multi': 'a,b' },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: '{"ok":true}',
    });

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-count', '3'],
      ['x-multi', 'a,b'],
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2; HttpOnly'],
    ]);
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  it('decodes a base64 body', () => {
    // Act
    const response = toLocalResponse({ statusCode: 200, body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true });

    // Assess
    expect([...response.body]).toEqual([1, 2, 3]);
  });

  it('turns a result without statusCode into a 200 JSON answer', () => {
    // Act
    const response = toLocalResponse({ status: 'ok' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual([['content-type', 'application/json']]);
    expect(response.body.toString()).toBe('{"status":"ok"}');
  });

  it.each([
    [{ statusCode: '200' }, 'statusCode'],
    [{ statusCode: 700 }, 'statusCode'],
    [{ statusCode: 200, body: { a: 1 } }, 'body'],
    [{ statusCode: 200, cookies: 'a=1' }, 'cookies'],
    [{ statusCode: 200, headers: { a: { b: 1 } } }, 'header a'],
  ])('rejects the malformed result %j', (result, detail) => {
    // Act and Assess
    expect(() => toLocalResponse(result)).toThrow(MalformedResponseError);
    expect(() => toLocalResponse(result)).toThrow(detail);
  });

  it('rejects a result larger than Lambda returns', () => {
    // Prepare
    const result = { statusCode: 200, body: 'x'.repeat(LIMITS.responseBytes) };

    // Act and Assess
    expect(() => toLocalResponse(result)).toThrow(/more than Lambda returns/);
  });
});
