import { sourceIpOf } from '../../../shared/auth/sourceIp';

/** Which address the audit and policy conditions see: the viewer's behind CloudFront, API Gateway's otherwise, never a header. */
describe('sourceIpOf', () => {
  it('takes the viewer address the people authorizer passed on (behind CloudFront, API Gateway sees CloudFront)', () => {
    // Prepare
    const event = { requestContext: { http: { sourceIp: '130.176.1.1' }, authorizer: { lambda: { principal: 'user:alice', sourceIp: '198.51.100.23' } } } };

    // Act / Assess
    expect(sourceIpOf(event)).toBe('198.51.100.23');
  });

  it('takes API Gateway\'s source IP when the authorizer passed none (the IAM API, the local runner)', () => {
    // Act / Assess
    expect(sourceIpOf({ requestContext: { http: { sourceIp: '203.0.113.7' }, authorizer: { iam: { userArn: 'arn' } } } })).toBe('203.0.113.7');
    expect(sourceIpOf({ requestContext: { http: { sourceIp: '203.0.113.7' }, authorizer: { lambda: { principal: 'user:alice' } } } })).toBe('203.0.113.7');
  });

  it('never reads a header a client could send', () => {
    // Prepare
    const event = { headers: { 'x-otpvault-viewer-ip': '10.0.0.1', 'x-forwarded-for': '10.0.0.2' }, requestContext: { http: { sourceIp: '203.0.113.7' } } };

    // Act / Assess
    expect(sourceIpOf(event)).toBe('203.0.113.7');
    expect(sourceIpOf({})).toBeUndefined();
  });
});
