import { ForbiddenError, UnauthenticatedError } from '../errors';
import { principal, type Principal } from './principal';

/**
 * Who signed a request to the IAM API (SigV4), as API Gateway reports it in
 * `requestContext.authorizer.iam` (payload format 2.0). Only the fields read here.
 */
export interface IamCaller {
  /** `arn:aws:sts::123456789012:assumed-role/ci-deploy/run-42`, `arn:aws:iam::123456789012:user/bob`, ... */
  userArn?: unknown;
  /** The account of the signing credentials. */
  accountId?: unknown;
}

/** The partitions a policy can name a role in (`shared/policy/principals.ts` accepts the same). */
const PARTITION = 'aws(?:-cn|-us-gov|-iso|-iso-b)?';
/** IAM name characters (roles, users, sessions). */
const IAM_NAME = '[\\w+=,.@-]{1,64}';
const ASSUMED_ROLE = new RegExp(`^arn:(${PARTITION}):sts::(\\d{12}):assumed-role/(${IAM_NAME})/(${IAM_NAME})$`);
const ROLE = new RegExp(`^arn:(${PARTITION}):iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*(${IAM_NAME})$`);
const IAM_USER = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:user/(?:[\\w+=,.@-]+/)*${IAM_NAME}$`);
const ROOT = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:root$`);
const FEDERATED_USER = new RegExp(`^arn:${PARTITION}:sts::\\d{12}:federated-user/${IAM_NAME}$`);

/**
 * The principal of an IAM caller: always a role, `role:arn:<partition>:iam::<account>:role/<name>`.
 *
 * - An assumed-role session (`arn:aws:sts::<account>:assumed-role/<RoleName>/<session>`) is its
 *   role. The session name is dropped (policies name roles, not sessions), and so is the role's
 *   path, which an assumed-role ARN does not carry: a role created as `/automation/ci-deploy` calls
 *   as `role:arn:aws:iam::<account>:role/ci-deploy`, and policies must name it that way.
 * - A role ARN is accepted in the same form (its path dropped too, so both spellings agree).
 * - IAM users, the root user and federated users are refused with 403: machines call the vault
 *   with temporary credentials of a role they assume, never with long-term user keys.
 *
 * @param caller - `requestContext.authorizer.iam` of the event.
 * @throws ForbiddenError for an IAM user, the root user or a federated user.
 * @throws UnauthenticatedError when the caller's ARN is missing or not one of these shapes.
 * @example
 * principalFromIamCaller({ userArn: 'arn:aws:sts::123456789012:assumed-role/ci-deploy/run-42', accountId: '123456789012' });
 * // { id: 'role:arn:aws:iam::123456789012:role/ci-deploy', kind: 'role', name: 'arn:aws:iam::123456789012:role/ci-deploy', groups: [] }
 */
export function principalFromIamCaller(caller: IamCaller): Principal {
  const arn = caller.userArn;
  if (typeof arn !== 'string' || arn.length === 0) throw new UnauthenticatedError('the IAM caller has no ARN');
  const match = ASSUMED_ROLE.exec(arn) ?? ROLE.exec(arn);
  if (match) {
    const [, partition, account, roleName] = match;
    if (caller.accountId !== undefined && caller.accountId !== null && caller.accountId !== account) {
      throw new UnauthenticatedError('the IAM caller’s ARN and account do not agree');
    }
    return principal('role', `arn:${partition}:iam::${account}:role/${roleName}`);
  }
  if (IAM_USER.test(arn) || ROOT.test(arn) || FEDERATED_USER.test(arn)) {
    throw new ForbiddenError(`${arn} may not call the vault: sign requests with the temporary credentials of an IAM role (sts:AssumeRole), not an IAM user, root or federated user`);
  }
  throw new UnauthenticatedError('the IAM caller’s ARN is not an assumed role or a role');
}
