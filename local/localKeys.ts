/**
 * The local twins of the stack's KMS keys, created in the KMS emulator under the aliases the CDK
 * stack gives the real ones (not imported from `infra/`: that would pull in aws-cdk-lib).
 */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient, NotFoundException, type KeySpec, type KeyUsageType } from '@aws-sdk/client-kms';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo';

export interface LocalKeySpec {
  alias: string;
  keySpec: KeySpec;
  keyUsage: KeyUsageType;
  description: string;
}

/** Seeds, recovery codes and sensitive fields (`OTPVAULT_KMS_KEY_ID`). */
const SEED_KEY: LocalKeySpec = {
  alias: 'alias/otpvault-seeds',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  description: 'otpvault (local): OTP seeds, recovery codes and sensitive secret fields',
};

/** Signs the audit archive's digests. */
const AUDIT_SIGNING_KEY: LocalKeySpec = {
  alias: 'alias/otpvault-audit-signing',
  keySpec: 'ECC_NIST_P256',
  keyUsage: 'SIGN_VERIFY',
  description: 'otpvault (local): signs the audit archive digests',
};

export const SEED_KEY_ALIAS = SEED_KEY.alias;

/**
 * Makes sure the key exists in the emulator (creating it and its alias on first start) and
 * returns its ARN. A key of another kind under the alias is an error, not silently replaced.
 *
 * @param endpoint - The KMS emulator's endpoint.
 * @param spec - Which key.
 * @example
 * const seedKeyArn = await ensureLocalKey(kms.endpoint, SEED_KEY);
 */
async function ensureLocalKey(endpoint: string, spec: LocalKeySpec): Promise<string> {
  const client = new KMSClient({ region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  try {
    try {
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: spec.alias }));
      if (!KeyMetadata?.Arn) throw new Error(`DescribeKey ${spec.alias} returned no ARN`);
      if (KeyMetadata.KeyState !== 'Enabled' || KeyMetadata.KeySpec !== spec.keySpec) {
        throw new Error(
          `the local key ${spec.alias} is ${KeyMetadata.KeyState} ${KeyMetadata.KeySpec}; delete the kms/ folder of the data directory to start over`,
        );
      }
      return KeyMetadata.Arn;
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    const { KeyMetadata } = await client.send(
      new CreateKeyCommand({ KeySpec: spec.keySpec, KeyUsage: spec.keyUsage, Description: spec.description }),
    );
    if (!KeyMetadata?.KeyId || !KeyMetadata.Arn) throw new Error('CreateKey returned no key id');
    await client.send(new CreateAliasCommand({ AliasName: spec.alias, TargetKeyId: KeyMetadata.KeyId }));
    return KeyMetadata.Arn;
  } finally {
    client.destroy();
  }
}

export const ensureSeedKey = (endpoint: string) => ensureLocalKey(endpoint, SEED_KEY);
export const ensureAuditSigningKey = (endpoint: string) => ensureLocalKey(endpoint, AUDIT_SIGNING_KEY);
