import { authorizerContextFor } from '../../../shared/auth/authorizerContext';
import { principal } from '../../../shared/auth/principal';
import { principalFromEvent } from '../../../shared/auth/principalFromEvent';
import { ForbiddenError, UnauthenticatedError } from '../../../shared/errors';
import { byIamAuthorizer, byLambdaAuthorizer, proxyEvent } from '../../helpers/apiGatewayEvents';

const SUB = '8f0c2d1e-4b6a-4e8f-9c3d-2a1b0c9d8e7f';

/** The caller of a route comes from what API Gateway's authorizer put in the request context, and from nowhere else. */
describe('principalFromEvent', () => {
  it('takes a user and its groups from the people authorizer', () => {
    // Prepare
    const event = proxyEvent({
      authorizer: byLambdaAuthorizer({ principal: 'user:alice', kind: 'user', name: 'alice', groups: '["ops","admins"]', sub: SUB }),
    });

    // Act
    const caller = principalFromEvent(event);

    // Assess
    expect(caller).toEqual({ id: 'user:alice', kind: 'user', name: 'alice', groups: ['admins', 'ops'], sub: SUB });
  });

  it('takes a service from the people authorizer', () => {
    // Prepare
    const event = proxyEvent({ authorizer: byLambdaAuthorizer(authorizerContextFor(principal('service', 'deploy-bot'))) });

    // Act
    const caller = principalFromEvent(event);

    // Assess
    expect(caller).toEqual({ id: 'service:deploy-bot', kind: 'service', name: 'deploy-bot', groups: [] });
  });

  it('reads back exactly what the authorizer wrote, group names with commas included', () => {
    // Prepare
    const written = principal('user', 'bob', ['team, blue', 'ops'], SUB);

    // Act
    const caller = principalFromEvent(proxyEvent({ authorizer: byLambdaAuthorizer(authorizerContextFor(written)) }));

    // Assess
    expect(caller).toEqual(written);
  });

  it('takes an assumed role from the IAM authorizer', () => {
    // Prepare
    const event = proxyEvent({ authorizer: byIamAuthorizer('arn:aws:sts::123456789012:assumed-role/ci-deploy/run-42') });

    // Act
    const caller = principalFromEvent(event);

    // Assess
    expect(caller).toEqual({
      id: 'role:arn:aws:iam::123456789012:role/ci-deploy',
      kind: 'role',
      name: 'arn:aws:iam::123456789012:role/ci-deploy',
      groups: [],
    });
  });

  it('refuses an IAM user with 403', () => {
    // Prepare
    const event = proxyEvent({ authorizer: byIamAuthorizer('arn:aws:iam::123456789012:user/example-user') });

    // Act
    const call = () => principalFromEvent(event);

    // Assess
    expect(call).toThrow(ForbiddenError);
  });

  it('fails closed with 401 when no authorizer ran', () => {
    // Act
    const call = () => principalFromEvent(proxyEvent());

    // Assess
    expect(call).toThrow(UnauthenticatedError);
    expect(call).toThrow(/no authorizer vouched for this request/);
  });

  it('never believes a header: a bearer token or a principal header alone is a 401', () => {
    // Prepare
    const event = proxyEvent({ headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln', 'x-otpvault-principal': 'user:alice' } });

    // Act
    const call = () => principalFromEvent(event);

    // Assess
    expect(call).toThrow(UnauthenticatedError);
  });

  it('refuses an event carrying both authorizer results (401)', () => {
    // Prepare
    const authorizer = {
      ...byLambdaAuthorizer({ principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]', sub: SUB }),
      ...byIamAuthorizer('arn:aws:sts::123456789012:assumed-role/ci/s'),
    };

    // Act
    const call = () => principalFromEvent(proxyEvent({ authorizer }));

    // Assess
    expect(call).toThrow(UnauthenticatedError);
  });

  it.each([
    ['a role kind (roles only come through IAM)', { principal: 'role:arn:aws:iam::123456789012:role/x', kind: 'role', name: 'arn:aws:iam::123456789012:role/x', groups: '[]' }],
    ['an unknown kind', { principal: 'admin:alice', kind: 'admin', name: 'alice', groups: '[]' }],
    ['no name', { principal: 'user:', kind: 'user', name: '', groups: '[]' }],
    ['an id that does not match the name', { principal: 'user:root', kind: 'user', name: 'alice', groups: '[]' }],
    ['groups that are not JSON', { principal: 'user:alice', kind: 'user', name: 'alice', groups: 'admins,ops' }],
    ['groups that are not names', { principal: 'user:alice', kind: 'user', name: 'alice', groups: '[1]' }],
    ['no groups', { principal: 'user:alice', kind: 'user', name: 'alice', sub: SUB }],
    ['a user without a sub (it could only be matched by name, which a re-created user shares)', { principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]' }],
    ['a user with an empty sub', { principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]', sub: '' }],
    ['a user with a sub that is not a string', { principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]', sub: 42 }],
    ['a service with a sub', { principal: 'service:bot', kind: 'service', name: 'bot', groups: '[]', sub: SUB }],
  ])('refuses an authorizer context with %s (401)', (_case, context) => {
    // Act
    const call = () => principalFromEvent(proxyEvent({ authorizer: byLambdaAuthorizer(context) }));

    // Assess
    expect(call).toThrow(UnauthenticatedError);
  });

  it('refuses an IAM authorizer result that is not an object (401)', () => {
    // Act
    const call = () => principalFromEvent(proxyEvent({ authorizer: { iam: 'arn:aws:sts::123456789012:assumed-role/ci/s' } }));

    // Assess
    expect(call).toThrow(UnauthenticatedError);
  });
});
