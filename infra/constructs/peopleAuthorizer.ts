import { Duration } from 'aws-cdk-lib';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AUTHORIZER_FUNCTION } from '../../shared/api/functions';
import { ENV } from '../../shared/config/vaultConfig';
import { refusalWindowStatement, tableKeyViaDynamoDb } from './grants';
import { AUDIT_OUTBOX_ACTIONS } from './vaultFunctions';
import { VaultLambda } from './vaultLambda';

/** Handler folder of the people authorizer (`lambdas/authorizer/handler.ts`); not a route. */
export const PEOPLE_AUTHORIZER = AUTHORIZER_FUNCTION.name;

/** Where API Gateway finds the credential; a request without it is refused with 401 before the function runs. */
export const PEOPLE_IDENTITY_SOURCE = '$request.header.Authorization';

/**
 * How long API Gateway reuses an authorizer answer for the same `Authorization` header: never.
 *
 * Caching (say 60 s) would save an invocation per request, but:
 * - a cached allow outlives the token: a token would still open the vault up to the TTL after its
 *   `exp`, and a group removed in Cognito would still count until the cache entry expires;
 * - a cached denial is answered without the function, so a rejected token hammered within the TTL
 *   would leave one audit event instead of one per attempt;
 * - the answer's context carries the viewer's IP (CloudFront's header, `AuthorizerContext.sourceIp`)
 *   while the cache key is the token alone: a request from another address within the TTL would be
 *   handed the first one's IP, which `sourceIp` policy conditions test and audit events record. Adding
 *   the viewer-IP header to the identity source would fix the key, but API Gateway would then refuse a
 *   request without it (one that bypassed CloudFront) before the function runs, and the function is
 *   what logs and counts such bypasses (`OriginBypassRefused`).
 * Verification is local and cheap (the user pool's keys are cached while the function is warm), and
 * the API is throttled for a team. Revocation is still bounded by the access token's lifetime
 * (30 minutes, see VaultIdentity): tokens are checked by signature, not looked up in Cognito.
 */
export const PEOPLE_AUTHORIZER_CACHE_TTL = Duration.seconds(0);

/**
 * What the authorizer may do besides logging: record a rejected token in the audit outbox, count
 * repeated ones in their refusal window (UpdateItem on `REFUSALS#…` items of the vault table), and
 * read the value of CloudFront's origin header (once per cold start).
 */
export const PEOPLE_AUTHORIZER_ACTIONS = {
  outbox: AUDIT_OUTBOX_ACTIONS,
  refusalWindows: ['dynamodb:UpdateItem'],
  originSecret: ['secretsmanager:GetSecretValue'],
} as const;

export interface PeopleAuthorizerProps {
  readonly handlersDir: string;
  readonly sourceDigest: string;
  /** Only what the authorizer reads: auth mode, user pool and client, outbox and vault table names, log level. */
  readonly environment: Record<string, string>;
  /** The audit outbox (rejected tokens are audited there: no route function sees them). */
  readonly outbox: ITable;
  /** The vault table, where it may only update refusal windows. */
  readonly vaultTable: ITable;
  readonly tableKey: IKey;
  /**
   * The value CloudFront sends in its origin header: requests without it did not go through the web
   * ACL and are refused before the token is read (shared/auth/originGate.ts).
   */
  readonly originSecret: ISecret;
}

/**
 * The HTTP API Lambda authorizer for people (and services with tokens): payload format 2.0, simple
 * responses, no result caching. Its function refuses requests that did not come through CloudFront,
 * then verifies the bearer token against the user pool and returns the principal as the context; its
 * role can write the audit outbox, update refusal windows and read the origin secret, nothing else
 * (no other vault item, no seed key).
 */
export class PeopleAuthorizer extends Construct {
  readonly lambda: VaultLambda;
  readonly httpAuthorizer: HttpLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: PeopleAuthorizerProps) {
    super(scope, id);
    this.lambda = new VaultLambda(this, 'Function', {
      name: PEOPLE_AUTHORIZER,
      description: 'otpvault people authorizer: bearer tokens of the user pool',
      handlersDir: props.handlersDir,
      sourceDigest: props.sourceDigest,
      environment: { ...props.environment, [ENV.originCheck]: 'secret', [ENV.originSecretArn]: props.originSecret.secretArn },
      memoryMb: AUTHORIZER_FUNCTION.memoryMb,
      timeoutSeconds: AUTHORIZER_FUNCTION.timeoutSeconds,
    });
    this.lambda.role.addToPolicy(
      new PolicyStatement({ sid: 'AuditOutboxWrite', actions: [...PEOPLE_AUTHORIZER_ACTIONS.outbox], resources: [props.outbox.tableArn] }),
    );
    this.lambda.role.addToPolicy(refusalWindowStatement('RefusalWindowsCount', PEOPLE_AUTHORIZER_ACTIONS.refusalWindows, props.vaultTable));
    this.lambda.role.addToPolicy(tableKeyViaDynamoDb(props.tableKey));
    // Not grantRead: the function only reads the value (no DescribeSecret), and the secret is under the AWS managed key.
    this.lambda.role.addToPolicy(
      new PolicyStatement({ sid: 'OriginSecretRead', actions: [...PEOPLE_AUTHORIZER_ACTIONS.originSecret], resources: [props.originSecret.secretArn] }),
    );
    this.httpAuthorizer = new HttpLambdaAuthorizer('PeopleAuthorizer', this.lambda.fn, {
      authorizerName: 'otpvault-people',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [PEOPLE_IDENTITY_SOURCE],
      resultsCacheTtl: PEOPLE_AUTHORIZER_CACHE_TTL,
    });
  }
}
