import type { AuthorizedEvent } from './principalFromEvent';

/**
 * The caller's IP address for the audit and for policies' `sourceIp` conditions: the viewer's address
 * the people authorizer passed on (`requestContext.authorizer.lambda.sourceIp`, set only for requests
 * that proved they came through CloudFront), else API Gateway's `requestContext.http.sourceIp` (the
 * IAM API, the local runner). Never a request header: only API Gateway writes the request context.
 *
 * @param event - The function's event.
 * @example
 * sourceIpOf({ requestContext: { http: { sourceIp: '203.0.113.7' } } }); // '203.0.113.7'
 */
export function sourceIpOf(event: AuthorizedEvent): string | undefined {
  const viewer = field(field(field(event.requestContext, 'authorizer'), 'lambda'), 'sourceIp');
  if (typeof viewer === 'string' && viewer !== '') return viewer;
  const peer = field(field(event.requestContext, 'http'), 'sourceIp');
  return typeof peer === 'string' && peer !== '' ? peer : undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
