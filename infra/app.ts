/** CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). */
import { createOtpVaultApp } from './otpVaultApp';

// The CLI's region (profile or AWS_REGION): outside us-east-1 the app adds the us-east-1 edge stack
// holding CloudFront's web ACL. The account stays a deploy-time value.
const region = process.env.CDK_DEFAULT_REGION;
createOtpVaultApp({ stackProps: region ? { env: { region } } : {} });
