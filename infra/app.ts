/** CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). */
import { createOtpVaultApp } from './otpVaultApp';

createOtpVaultApp();
