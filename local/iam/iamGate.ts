/**
 * The IAM authorization step of API Gateway, for the local IAM API: a request must be SigV4-signed
 * by a local role (`credentials.ts`); the route function then finds the signer where API Gateway
 * puts it, in `requestContext.authorizer.iam`. A refused signature is 403 (code `Unauthenticated`,
 * with the reason) and audited like a refused token: `authenticate` / `denied`, the role as actor
 * only when the signature was valid (an expired or replayed one); repeated refusals of a source
 * within a minute are counted in its refusal window, as the people authorizer does.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AuditOutbox } from '../../shared/audit/AuditOutbox';
import type { RefusalCounter } from '../../shared/audit/refusals/RefusalWindows';
import { principalFromIamCaller } from '../../shared/auth/iamPrincipal';
import { auditRefusedCredentials } from '../../shared/auth/refusalAudit';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log/logger';
import { errorResponse, LOCAL_ACCOUNT_ID, splitTarget, type IncomingApiRequest } from '../apiEvent';
import type { GateResult } from '../authorizerGate';
import { localSessionArn, type LocalRoleCredentials } from './credentials';
import type { SigV4Verifier } from './verifySigV4';

export interface IamGateDeps {
  verifier: SigV4Verifier;
  outbox: AuditOutbox;
  /** Counts repeated refusals per source and minute; without it each is audited on its own. */
  windows?: RefusalCounter;
  clock: Clock;
  log: Logger;
}

/** Checks the signature of each request and hands the signer on, or answers 403. */
export function createIamGate(deps: IamGateDeps): (event: APIGatewayProxyEventV2, request: IncomingApiRequest) => Promise<GateResult> {
  return async (event, request) => {
    const { rawPath, rawQueryString } = splitTarget(request.target);
    const check = await deps.verifier.verify({ method: request.method, rawPath, rawQueryString, headers: event.headers as Record<string, string>, body: request.body });
    if (check.ok) return { event: withIamCaller(event, check.credentials) };
    // Like API Gateway: a request that carries no signature at all never reaches anything that audits.
    if (event.headers.authorization !== undefined) {
      const principal = check.credentials ? principalFromIamCaller({ userArn: localSessionArn(check.credentials.role), accountId: LOCAL_ACCOUNT_ID }) : undefined;
      await auditRefusedCredentials(
        deps,
        { requestId: event.requestContext.requestId, routeKey: event.routeKey, sourceIp: event.requestContext.http.sourceIp, userAgent: event.headers['user-agent'] ?? '' },
        check.reason,
        principal,
        { mechanism: 'sigv4' },
      );
    }
    return { response: errorResponse(403, 'Unauthenticated', check.reason) };
  };
}

/** `requestContext.authorizer.iam` as API Gateway (payload 2.0) fills it for a verified signature. */
function withIamCaller(event: APIGatewayProxyEventV2, credentials: LocalRoleCredentials): APIGatewayProxyEventV2 {
  const iam = {
    accessKey: credentials.accessKeyId,
    accountId: LOCAL_ACCOUNT_ID,
    callerId: `AROALOCAL${credentials.role.toUpperCase()}:otpvault-local`,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: localSessionArn(credentials.role),
    userId: `AROALOCAL${credentials.role.toUpperCase()}:otpvault-local`,
  };
  return { ...event, requestContext: { ...event.requestContext, authorizer: { iam } } } as unknown as APIGatewayProxyEventV2;
}
