import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpMethod as RouteMethod, RouteDefinition } from '../../shared/api/route';

/** Stage-wide throttling (requests per second, and burst): generous for a team, a ceiling for abuse. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Tighter per-route limits where one caller's volume costs most: routes that decrypt (and may hold
 * a Lambda through the OTP wait) and the unauthenticated probe. The rest share the stage's limit.
 */
export const ROUTE_THROTTLES = {
  decrypting: { rateLimit: 10, burstLimit: 20 },
  unauthenticated: { rateLimit: 5, burstLimit: 10 },
} as const;

export function routeThrottleFor(route: RouteDefinition): { rateLimit: number; burstLimit: number } | undefined {
  if (route.auth === 'none') return ROUTE_THROTTLES.unauthenticated;
  if (route.grants.kms?.includes('Decrypt')) return ROUTE_THROTTLES.decrypting;
  return undefined;
}

/** One JSON line per request; no request bodies, no tokens. (Exported for bench/cost.ts, which prices its bytes.) */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  sourceIp: '$context.identity.sourceIp',
  // Behind CloudFront (people API) sourceIp is CloudFront's; the authorizer passes the viewer's on.
  viewerIp: '$context.authorizer.sourceIp',
  userAgent: '$context.identity.userAgent',
  // The people authorizer's context (JWT API) and the SigV4 signer (IAM API); the other is empty.
  principal: '$context.authorizer.principal',
  userArn: '$context.identity.userArn',
  authorizerError: '$context.authorizer.error',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  responseLength: '$context.responseLength',
} as const;
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));

const METHODS: Record<RouteMethod, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

export interface VaultApiProps {
  /** The route table: one API route per row. */
  readonly routes: readonly RouteDefinition[];
  /** The function serving an operation. */
  readonly functionFor: (op: string) => IFunction;
  /** Guards every `auth: 'required'` route: the people authorizer (bearer tokens) or IAM (SigV4). */
  readonly authorizer: IHttpRouteAuthorizer;
  /** Shown in the console: which callers this API is for. */
  readonly description: string;
}

/**
 * An HTTP API: one route per row of the route table, `auth: 'required'` rows behind the given
 * authorizer (the functions take the caller from its result), a `$default` stage with access logging
 * and throttling.
 */
export class VaultApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  private readonly byOp = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: VaultApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: props.description,
      // No CORS: the console calls the people API on its own origin (CloudFront's /v1/* behaviour).
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const { authorizer } = props;
    for (const route of props.routes) {
      const httpRoute = new HttpRoute(this, `${route.op}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, METHODS[route.method]),
        integration: new HttpLambdaIntegration(`${route.op}Integration`, props.functionFor(route.op)),
        authorizer: route.auth === 'required' ? authorizer : undefined,
      });
      if (route.auth === 'none') acknowledgePublicRoute(httpRoute, route);
      this.byOp.set(route.op, httpRoute);
    }
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of props.routes) {
      const throttle = routeThrottleFor(route);
      if (!throttle) continue;
      routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit };
      // A stage's route settings name routes that must exist first.
      this.stage.node.addDependency(this.routeFor(route.op));
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  }

  /** The API's base URL (the `$default` stage has no path prefix). */
  get url(): string {
    return this.stage.url;
  }

  /** The API route serving `op`. */
  routeFor(op: string): HttpRoute {
    const route = this.byOp.get(op);
    if (!route) throw new Error(`no API route was built for operation ${op}`);
    return route;
  }
}

function acknowledgePublicRoute(httpRoute: HttpRoute, route: RouteDefinition): void {
  Validations.of(httpRoute).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason: `${route.method} ${route.path} is declared auth 'none' in the route table: a liveness probe or the API's own description, reading and returning nothing sensitive.`,
  });
}
