/**
 * The local twin of the audit signing key: an ECC_NIST_P256 SIGN_VERIFY key in the KMS emulator
 * under the alias the CDK stack gives the real one.
 */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo';

/**
 * Alias of the key that signs audit digests; the same as `AUDIT_SIGNING_KEY_ALIAS` in
 * `infra/constructs/auditPipeline.ts` (not imported: that module pulls in aws-cdk-lib).
 */
export const AUDIT_SIGNING_KEY_ALIAS = 'alias/otpvault-audit-signing';

/**
 * Makes sure the signing key exists in the emulator and returns its ARN.
 *
 * @param endpoint - The KMS emulator's endpoint.
 * @example
 * const signingKeyArn = await ensureAuditSigningKey(kms.endpoint);
 */
export async function ensureAuditSigningKey(endpoint: string): Promise<string> {
  const client = new KMSClient({ region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  try {
    try {
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: AUDIT_SIGNING_KEY_ALIAS }));
      if (!KeyMetadata?.Arn) throw new Error(`DescribeKey ${AUDIT_SIGNING_KEY_ALIAS} returned no ARN`);
      if (KeyMetadata.KeyState !== 'Enabled' || KeyMetadata.KeySpec !== 'ECC_NIST_P256') {
        throw new Error(
          `the local key ${AUDIT_SIGNING_KEY_ALIAS} is ${KeyMetadata.KeyState} ${KeyMetadata.KeySpec}; delete the kms/ folder of the data directory to start over`,
        );
      }
      return KeyMetadata.Arn;
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    const { KeyMetadata } = await client.send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Description: 'otpvault (local): signs the audit archive digests',
      }),
    );
    if (!KeyMetadata?.KeyId || !KeyMetadata.Arn) throw new Error('CreateKey returned no key id');
    await client.send(new CreateAliasCommand({ AliasName: AUDIT_SIGNING_KEY_ALIAS, TargetKeyId: KeyMetadata.KeyId }));
    return KeyMetadata.Arn;
  } finally {
    client.destroy();
  }
}
