import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';

/**
 * Events shaped like the examples of the API Gateway developer guide (HTTP API, payload format
 * 2.0): "Create AWS Lambda proxy integrations for HTTP APIs" for route events, "Control access to
 * HTTP APIs with AWS Lambda authorizers" for authorizer events; the `iam` block as HTTP APIs (and
 * Lambda function URLs) report a SigV4 caller. Values are the guide's placeholders unless a test
 * needs its own.
 */

export const EXAMPLE_ACCOUNT = '123456789012';

/** What a route handler gets, with `authorizer` as the given authorizer put it (none by default). */
export function proxyEvent(
  options: { authorizer?: Record<string, unknown>; method?: string; path?: string; routeKey?: string; headers?: Record<string, string>; body?: string } = {},
): APIGatewayProxyEventV2 {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/v1/me';
  const routeKey = options.routeKey ?? `${method} ${path}`;
  const requestContext = {
    accountId: EXAMPLE_ACCOUNT,
    apiId: 'api-id',
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'id',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
    requestId: `id-${Math.random().toString(36).slice(2, 10)}`,
    routeKey,
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  };
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'user-agent': 'agent', ...options.headers },
    requestContext,
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  };
}

/** `requestContext.authorizer` of a request the people authorizer let in. */
export function byLambdaAuthorizer(context: object): Record<string, unknown> {
  return { lambda: context };
}

/** `requestContext.authorizer` of a request signed with SigV4 by `userArn` (IAM API). */
export function byIamAuthorizer(userArn: string, accountId = EXAMPLE_ACCOUNT): Record<string, unknown> {
  const assumedRole = userArn.includes(':assumed-role/');
  return {
    iam: {
      accessKey: assumedRole ? 'ASIA2ADEO2S3EXAMPLE' : 'AKIA2ADEO2S3EXAMPLE',
      accountId,
      callerId: assumedRole ? `AROA2DREO3S2A6XFQAO5U:${userArn.split('/').pop()}` : 'AIDA2CRXO3S2JFSU7S42X',
      cognitoIdentity: null,
      principalOrgId: null,
      userArn,
      userId: assumedRole ? `AROA2DREO3S2A6XFQAO5U:${userArn.split('/').pop()}` : 'AIDA2CRXO3S2JFSU7S42X',
    },
  };
}

/** What the people authorizer gets for a request with these headers. */
export function authorizerEvent(headers: Record<string, string>, routeKey = 'GET /v1/me'): APIGatewayRequestAuthorizerEventV2 {
  const [method, path] = routeKey.split(' ') as [string, string];
  const route = proxyEvent({ method, path, routeKey, headers });
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:${EXAMPLE_ACCOUNT}:abcdef123/$default/${method}${path}`,
    identitySource: headers.authorization === undefined ? [] : [headers.authorization],
    routeKey,
    rawPath: path,
    rawQueryString: '',
    cookies: [],
    headers: route.headers,
    requestContext: route.requestContext,
  };
}
