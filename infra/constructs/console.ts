import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, Aws, CfnOutput, type CfnElement, DockerImage, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnManagedLoginBranding, CfnUserPoolClient, ManagedLoginVersion, OAuthScope, UserPoolClient, UserPoolDomain, type IUserPool } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_HEADERS, consoleCsp } from '../../web/securityHeaders';
import { REPO_ROOT } from '../projectPaths';

/** Context key for the managed login domain prefix (`cdk deploy -c otpvault:consoleDomainPrefix=acme-otpvault`). */
export const CONSOLE_DOMAIN_CONTEXT = 'otpvault:consoleDomainPrefix';

export interface VaultConsoleProps {
  readonly userPool: IUserPool;
  /**
   * Managed login domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique in the region.
   * @default - context `otpvault:consoleDomainPrefix`, else `otpvault-<account id>`
   */
  readonly domainPrefix?: string;
  /** ARN of the WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) that guards the distribution. */
  readonly webAclArn: string;
}

/** The people API's paths on the distribution: every route of the route table is under `/v1/`. */
export const API_PATH_PATTERN = '/v1/*';

/**
 * How long CloudFront waits for the API's answer: API Gateway's own integration limit. An OTP
 * request with `minValidSeconds` may wait up to 25 s before it answers.
 */
const API_READ_TIMEOUT = Duration.seconds(30);

/** The header CloudFront adds on its way to the people API, and its value (a dynamic reference to the secret). */
export interface OriginHeader {
  readonly name: string;
  readonly value: string;
}

/**
 * The CloudFront Function (viewer request) on `/v1/*`: writes the viewer's IP address into
 * `headerName`, replacing whatever the viewer sent, so the API learns who called (API Gateway only
 * sees CloudFront's address). The people authorizer trusts it only with the origin header.
 */
export function viewerIpFunctionCode(headerName: string): string {
  return [
    'function handler(event) {',
    `  event.request.headers[${JSON.stringify(headerName)}] = { value: event.viewer.ip };`,
    '  return event.request;',
    '}',
  ].join('\n');
}

/** How long access logs of the console are kept. */
const LOG_DAYS = 365;
/** HSTS max-age, two years (CloudFront takes seconds through a Duration). */
const HSTS = Duration.days(730);

/**
 * The web console in AWS: the built files in a private bucket that only CloudFront reads (origin
 * access control), strict response headers (CSP without inline script, HSTS, no framing, no
 * referrer), `config.json` written at deploy with the API URL and the Cognito ids, and a Cognito app
 * client for the managed login with the authorization code flow and PKCE (public client, no secret).
 *
 * The same distribution serves the people API under `/v1/*` ({@link VaultConsole.routeApi}), behind
 * the WAF web ACL: the console and its API share one origin (no CORS), and people reach the API
 * where the per-IP rate limit applies.
 */
export class VaultConsole extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** `https://<distribution domain>` without a trailing slash: the console's origin, and the people API's base URL. */
  readonly origin: string;
  private readonly cognitoDomain: string;
  private readonly headers: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: VaultConsoleProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the access log destination of the console bucket and distribution; logging it into itself would loop.',
    });
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
      // Every file is rebuilt from the repository at deploy: nothing here needs keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const cognitoDomain = (this.cognitoDomain = `https://${props.domainPrefix ?? this.defaultDomainPrefix()}.auth.${region}.amazoncognito.com`);
    const headers = (this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'otpvault console: CSP without inline script, HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API is on this origin ('self'); Cognito's endpoints for sign-in and token refresh.
          contentSecurityPolicy: consoleCsp({ connect: [`https://cognito-idp.${region}.${Aws.URL_SUFFIX}`, cognitoDomain] }),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: HSTS, includeSubdomains: true, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: (['permissions-policy', 'cross-origin-opener-policy'] as const).map((header) => ({ header, value: CONSOLE_HEADERS[header], override: true })),
      },
    }));
    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = { origin, viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS, allowedMethods: AllowedMethods.ALLOW_GET_HEAD, responseHeadersPolicy: headers };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'otpvault web console',
      defaultRootObject: 'index.html',
      // index.html and config.json change with every deploy; hashed assets never do.
      defaultBehavior: { ...behavior, cachePolicy: CachePolicy.CACHING_DISABLED },
      additionalBehaviors: { '/assets/*': { ...behavior, cachePolicy: CachePolicy.CACHING_OPTIMIZED, compress: true } },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Teams using the vault work from anywhere; access is decided by Cognito sign-in with MFA and per-secret policies, not by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'Served on the CloudFront default domain, whose certificate and TLS policy CloudFront fixes; a custom domain with its own certificate should set minimumProtocolVersion TLSv1.2_2021.',
    });

    // Managed login (hosted sign-in pages, with the pool's MFA) and a public client for the console.
    this.domain = new UserPoolDomain(this, 'Domain', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: props.domainPrefix ?? this.defaultDomainPrefix() },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.client = new UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      userPoolClientName: 'otpvault-console',
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.origin}/`],
        logoutUrls: [`${this.origin}/`],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(30),
      idTokenValidity: Duration.minutes(30),
      refreshTokenValidity: Duration.hours(12),
    });
    // Only the managed login signs in here: no SRP or custom flow from scripts, refresh tokens only.
    (this.client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.userPool = props.userPool;
  }

  private readonly userPool: IUserPool;

  /**
   * Serves the people API under `/v1/*` on this distribution: nothing cached, every method, every
   * viewer header but `Host` forwarded (so `Authorization` too, which CloudFront allows only when
   * caching is off), HTTPS with TLS 1.2 to the API, and the origin header the people authorizer
   * requires, so requests that skip CloudFront (and its web ACL) are refused.
   *
   * A CloudFront Function passes the viewer's IP address on in `viewerIpHeader`.
   *
   * @param api - The people API (its `$default` stage, no path prefix).
   * @param originHeader - The header's name and value (a Secrets Manager dynamic reference: resolved by CloudFormation, never in the template).
   * @param viewerIpHeader - The header the viewer's IP address goes in.
   */
  routeApi(api: IHttpApi, originHeader: OriginHeader, viewerIpHeader: string): void {
    const viewerIp = new CloudFrontFunction(this, 'ViewerIp', {
      comment: 'otpvault: passes the viewer IP address to the people API',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(viewerIpFunctionCode(viewerIpHeader)),
    });
    const origin = new HttpOrigin(Fn.parseDomainName(api.apiEndpoint), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      readTimeout: API_READ_TIMEOUT,
      customHeaders: { [originHeader.name]: originHeader.value },
    });
    this.distribution.addBehavior(API_PATH_PATTERN, origin, {
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers,
      functionAssociations: [{ function: viewerIp, eventType: FunctionEventType.VIEWER_REQUEST }],
    });
  }

  /**
   * Uploads the console and its `config.json` naming the API (this distribution's origin, see
   * {@link routeApi}) and the Cognito ids, then invalidates what is not content-hashed.
   */
  deploy(): void {
    const apiUrl = this.origin;
    const region = Stack.of(this).region;
    const deployment = new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        consoleFiles(),
        Source.jsonData('config.json', {
          auth: 'cognito',
          apiUrl,
          authority: `https://cognito-idp.${region}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`,
          clientId: this.client.userPoolClientId,
          domain: this.cognitoDomain,
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json', '/'],
      memoryLimit: 512,
    });
    acknowledgeDeploymentHandler(this, deployment);

    new CfnOutput(Stack.of(this), 'ConsoleUrl', { value: `${this.origin}/`, description: 'The otpvault web console (sign in with the Cognito managed login)' });
  }

  private defaultDomainPrefix(): string {
    return (this.node.tryGetContext(CONSOLE_DOMAIN_CONTEXT) as string | undefined) ?? `otpvault-${Aws.ACCOUNT_ID}`;
  }
}

/** Findings on CDK's own deployment function (a stack-level singleton), with the reason for each. */
export const DEPLOYMENT_HANDLER_FINDINGS: Record<string, string> = {
  'AwsSolutions-L1': 'The runtime of CDK\'s BucketDeployment handler is chosen and kept current by aws-cdk-lib, not by this project.',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
    'CDK\'s BucketDeployment handler only writes its own logs with this managed policy.',
  'AwsSolutions-IAM5[Action::s3:GetObject*]': 'CDK\'s BucketDeployment reads the console\'s asset zip from the CDK asset bucket.',
  'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'CDK\'s BucketDeployment reads the bucket locations it syncs between.',
  'AwsSolutions-IAM5[Action::s3:List*]': 'CDK\'s BucketDeployment lists the console bucket to remove files of older builds.',
  'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'CDK\'s BucketDeployment removes files of older builds from the console bucket.',
  'AwsSolutions-IAM5[Action::s3:Abort*]': 'CDK\'s BucketDeployment aborts its own failed multipart uploads to the console bucket.',
  'AwsSolutions-IAM5[Resource::*]': 'CloudFront CreateInvalidation and GetInvalidation, which the handler uses after an upload, take no resource-level permission in the handler\'s grant.',
};

/**
 * The finding on the CDK asset bucket, named as cdk-nag names it: partition, account and region are
 * literal in the ARN when the stack has them (`cdk deploy` with a region), pseudo parameters otherwise.
 */
export function assetBucketFinding(stack: Stack): string {
  const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return `AwsSolutions-IAM5[Resource::arn:${part(stack.partition, 'Partition')}:s3:::cdk-hnb659fds-assets-${part(stack.account, 'AccountId')}-${part(stack.region, 'Region')}/*]`;
}

function acknowledgeDeploymentHandler(scope: Construct, deployment: BucketDeployment): void {
  const handler = deployment.handlerRole.node.scope as Construct;
  const siteId = Stack.of(scope).getLogicalId((scope.node.findChild('Site') as Bucket).node.defaultChild as CfnElement);
  const findings = {
    ...DEPLOYMENT_HANDLER_FINDINGS,
    [`AwsSolutions-IAM5[Resource::<${siteId}.Arn>/*]`]: 'CDK\'s BucketDeployment writes every file of the console into its own bucket.',
    [assetBucketFinding(Stack.of(scope))]: 'The console\'s files arrive as an asset in the CDK bootstrap bucket, whose object keys are content hashes.',
  };
  for (const [id, reason] of Object.entries(findings)) Validations.of(handler).acknowledge({ id, reason });
}

/** `web/` built by `web/build.ts` on this machine at synth (no Docker): the same build `npm start` serves. */
function consoleFiles() {
  return Source.asset(join(REPO_ROOT, 'web'), {
    exclude: ['dist', 'node_modules'],
    // The build also reads the route table and the packages: hash what it produced.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('local-build-only'),
      local: {
        tryBundle(outputDir: string) {
          execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'web/build.ts'), '--out', outputDir], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
          return true;
        },
      },
    },
  });
}
