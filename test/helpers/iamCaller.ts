import { buildApiEvent, buildLambdaContext, LOCAL_ACCOUNT_ID, toLocalResponse } from '../../local/apiEvent';
import { importHandler } from '../../local/lambdaHost';
import { createRouteMatcher, type LambdaHandler } from '../../local/router';
import { routes } from '../../shared/api/routes';
import type { ApiResponse } from './vault';
import { byIamAuthorizer } from './apiGatewayEvents';

/** An IAM role of the local account, as policies name it and as it signs (assumed-role session). */
export const LOCAL_ROLE = {
  name: 'ci-deploy',
  principal: `role:arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/ci-deploy`,
  sessionArn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/ci-deploy/matrix-session`,
} as const;

const match = createRouteMatcher(routes);

/**
 * Calls a route as the IAM API would after checking a SigV4 signature: the local runner has no
 * SigV4, so the route's handler (`lambdas/<op>/handler.ts`) is invoked directly, with the event the
 * runner builds plus `requestContext.authorizer.iam` for `userArn`. Start the local stack first
 * (handlers read their configuration from its environment).
 *
 * @param userArn - The signing identity, e.g. `LOCAL_ROLE.sessionArn`.
 * @param method - HTTP method.
 * @param target - Path and query, e.g. `/v1/secrets/s-1/otp`.
 * @param body - JSON body, if any.
 */
export async function callAsIam(userArn: string, method: string, target: string, body?: unknown): Promise<ApiResponse> {
  const found = match(method, target.split('?')[0] as string);
  if (found.kind !== 'found') throw new Error(`no route for ${method} ${target}`);
  const text = body === undefined ? '' : JSON.stringify(body);
  const event = buildApiEvent(
    {
      method,
      target,
      rawHeaders: ['Host', 'iam.local', 'User-Agent', 'aws-sigv4-test', ...(text ? ['Content-Type', 'application/json'] : [])],
      body: Buffer.from(text),
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      port: 443,
    },
    found,
  );
  const signed = { ...event, requestContext: { ...event.requestContext, authorizer: byIamAuthorizer(userArn, LOCAL_ACCOUNT_ID) } };
  const handler = await importHandler<LambdaHandler>(found.route.op);
  const response = toLocalResponse(await handler(signed, buildLambdaContext({ op: found.route.op, timeoutSeconds: found.route.timeoutSeconds })));
  const responseText = response.body.toString('utf8');
  const headers = new Headers(response.headers);
  const json = (headers.get('content-type') ?? '').startsWith('application/json') && responseText ? (JSON.parse(responseText) as Record<string, unknown>) : {};
  return { status: response.statusCode, headers, body: json, text: responseText };
}
