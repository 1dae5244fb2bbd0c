import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Web ACLs for CloudFront (scope CLOUDFRONT) exist only in us-east-1, whatever region the vault is in. */
export const EDGE_REGION = 'us-east-1';

/** How long the rate rule counts an address's requests over (WAF allows 60, 120, 300 or 600 s). */
export const RATE_WINDOW_SECONDS = 300;

/**
 * Requests to `/v1/*` one IP address may make per {@link RATE_WINDOW_SECONDS} before WAF answers 429
 * until its rate falls back under the limit.
 *
 * 1,000 per 5 minutes is about 3 requests a second sustained. A person in the console makes a few
 * tens of requests per page, so a whole office behind one NAT address (20 people working at once)
 * stays under it. The people API's stage throttle is 50 requests a second (15,000 per 5 minutes):
 * one address gets at most a fifteenth of it, so a single source can neither exhaust the throttle
 * nor write more than 1,000 refusal events per 5 minutes into the audit archive.
 */
export const PER_IP_RATE_LIMIT = 1_000;

/** Paths the rate rule counts: the API behind the distribution (the console's static files are not counted). */
export const RATE_LIMITED_PATH_PREFIX = '/v1/';

/**
 * AWS managed rule groups, in evaluation order after the IP reputation list and the rate rule. The
 * common rule set blocks bodies over 8 KB (`SizeRestrictions_BODY`); seed requests may carry a QR
 * picture of a few MB, so that one rule only counts (it shows in the metrics, API Gateway and the
 * route's schema bound the body).
 */
export const MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesAmazonIpReputationList', countOnly: [] },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
  { name: 'AWSManagedRulesCommonRuleSet', countOnly: ['SizeRestrictions_BODY'] },
] as const;

/** CloudWatch metric name (namespace AWS/WAFV2) of the rate rule; each rule's metric is its name. */
export const RATE_RULE_NAME = 'PerIpRateLimit';

/** Days WAF's log of blocked and counted requests is kept. */
const LOG_RETENTION = RetentionDays.ONE_YEAR;

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * The WAFv2 web ACL in front of the console's distribution, and so of the people API's `/v1/*`
 * behaviour: the IP reputation list first, then a per-IP rate rule, then the known-bad-inputs and
 * common rule sets. Every rule has CloudWatch metrics and sampled requests; blocked and counted
 * requests are logged to CloudWatch Logs with the `Authorization` header redacted.
 *
 * Must be built in us-east-1 ({@link EDGE_REGION}): the stack of its own (`OtpVaultEdge`) when the
 * vault is in another region, the vault's stack when the vault is in us-east-1.
 */
export class EdgeWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const [reputation, ...afterRate] = MANAGED_RULE_GROUPS;
    const managed = (group: (typeof MANAGED_RULE_GROUPS)[number], priority: number): CfnWebACL.RuleProperty => ({
      name: group.name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: group.name,
          ...(group.countOnly.length > 0 && { ruleActionOverrides: group.countOnly.map((name) => ({ name, actionToUse: { count: {} } })) }),
        },
      },
      visibilityConfig: visibility(group.name),
    });
    const rateRule: CfnWebACL.RuleProperty = {
      name: RATE_RULE_NAME,
      priority: 1,
      action: { block: { customResponse: { responseCode: 429 } } },
      statement: {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit: PER_IP_RATE_LIMIT,
          evaluationWindowSec: RATE_WINDOW_SECONDS,
          scopeDownStatement: {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: 'STARTS_WITH',
              searchString: RATE_LIMITED_PATH_PREFIX,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        },
      },
      visibilityConfig: visibility(RATE_RULE_NAME),
    };
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'otpvault: per-IP rate limit and AWS managed rules in front of the console and the people API',
      defaultAction: { allow: {} },
      rules: [managed(reputation, 0), rateRule, ...afterRate.map((group, index) => managed(group, index + 2))],
      visibilityConfig: visibility('otpvault-edge'),
    });

    // WAF only delivers to log groups named aws-waf-logs-*, in the web ACL's region.
    this.logs = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${stack.stackName}`,
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the `:*` CDK's logGroupArn ends with.
      logDestinationConfigs: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      // Bearer tokens never reach a log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
      // Only what a rule blocked or counted: allowed traffic is in the API's access logs already.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
  }

  /** The web ACL's ARN, which CloudFront takes as its `WebACLId`. */
  get arn(): string {
    return this.webAcl.attrArn;
  }
}
