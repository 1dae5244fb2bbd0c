import { principalFromIamCaller } from '../../../shared/auth/iamPrincipal';
import { ForbiddenError, UnauthenticatedError } from '../../../shared/errors';

/**
 * IAM callers, as API Gateway reports them in `requestContext.authorizer.iam`: every accepted
 * caller becomes `role:arn:<partition>:iam::<account>:role/<name>`, the form policies name.
 */
const ACCOUNT = '111122223333';

describe('principalFromIamCaller', () => {
  it.each([
    ['an assumed-role session', `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/run-42`, `arn:aws:iam::${ACCOUNT}:role/ci-deploy`],
    ['a session name with e-mail characters', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane.doe@example.com`, `arn:aws:iam::${ACCOUNT}:role/Admin`],
    ['an EC2 instance role session', `arn:aws:sts::${ACCOUNT}:assumed-role/app+worker=1/i-0abc123def4567890`, `arn:aws:iam::${ACCOUNT}:role/app+worker=1`],
    ['a role in the China partition', `arn:aws-cn:sts::${ACCOUNT}:assumed-role/ci/s`, `arn:aws-cn:iam::${ACCOUNT}:role/ci`],
    ['a role in GovCloud', `arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/ci/s`, `arn:aws-us-gov:iam::${ACCOUNT}:role/ci`],
    ['a role ARN', `arn:aws:iam::${ACCOUNT}:role/ci-deploy`, `arn:aws:iam::${ACCOUNT}:role/ci-deploy`],
    ['a role ARN with a path, whose path is dropped like an assumed role loses it', `arn:aws:iam::${ACCOUNT}:role/automation/ci/ci-deploy`, `arn:aws:iam::${ACCOUNT}:role/ci-deploy`],
  ])('turns %s into its role principal', (_case, userArn, roleArn) => {
    // Act
    const caller = principalFromIamCaller({ userArn, accountId: ACCOUNT });

    // Assess
    expect(caller).toEqual({ id: `role:${roleArn}`, kind: 'role', name: roleArn, groups: [] });
  });

  it('gives every session of a role the same principal', () => {
    // Act
    const first = principalFromIamCaller({ userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/run-1` });
    const second = principalFromIamCaller({ userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/run-2` });

    // Assess
    expect(first).toEqual(second);
  });

  it.each([
    ['an IAM user', `arn:aws:iam::${ACCOUNT}:user/bob`],
    ['an IAM user with a path', `arn:aws:iam::${ACCOUNT}:user/division/bob`],
    ['the root user', `arn:aws:iam::${ACCOUNT}:root`],
    ['a federated user', `arn:aws:sts::${ACCOUNT}:federated-user/bob`],
  ])('refuses %s with 403 and says to use a role', (_case, userArn) => {
    // Act
    const call = () => principalFromIamCaller({ userArn, accountId: ACCOUNT });

    // Assess
    expect(call).toThrow(ForbiddenError);
    expect(call).toThrow(/sign requests with the temporary credentials of an IAM role/);
    expect(call).toThrow(userArn);
  });

  it.each([
    ['no ARN', undefined],
    ['an empty ARN', ''],
    ['an ARN that is not a string', 42],
    ['a garbled ARN', 'arn:aws:sts::1234:assumed-role/x/y'],
    ['an assumed role without a session', `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy`],
    ['a session name with a slash', `arn:aws:sts::${ACCOUNT}:assumed-role/ci/a/b`],
    ['another service', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f`],
    ['an unknown partition', `arn:aws-xyz:sts::${ACCOUNT}:assumed-role/ci/s`],
    ['a role name longer than IAM allows', `arn:aws:sts::${ACCOUNT}:assumed-role/${'r'.repeat(65)}/s`],
  ])('refuses %s with 401', (_case, userArn) => {
    // Act
    const call = () => principalFromIamCaller({ userArn, accountId: ACCOUNT });

    // Assess
    expect(call).toThrow(UnauthenticatedError);
  });

  it('refuses an ARN whose account is not the signing account (401)', () => {
    // Act
    const call = () => principalFromIamCaller({ userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/s`, accountId: '999999999999' });

    // Assess
    expect(call).toThrow(UnauthenticatedError);
  });
});
