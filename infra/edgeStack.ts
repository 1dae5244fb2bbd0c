import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EDGE_REGION, EdgeWebAcl } from './constructs/edgeWebAcl';

/**
 * The vault's resources that CloudFront needs in us-east-1: the WAFv2 web ACL (scope CLOUDFRONT) of
 * the console's distribution, and its log group. Deployed before the vault's stack, which reads the
 * web ACL's ARN across regions.
 */
export class OtpVaultEdgeStack extends Stack {
  readonly webAcl: EdgeWebAcl;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { ...props, env: { ...props.env, region: EDGE_REGION } });
    this.webAcl = new EdgeWebAcl(this, 'EdgeWebAcl');
  }
}
