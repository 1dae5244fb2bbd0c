import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Alias of the key that encrypts seeds, recovery codes and sensitive template fields. */
export const SEED_KEY_ALIAS = 'alias/otpvault-seeds';
/** Alias of the key DynamoDB uses for the tables' encryption at rest. */
export const TABLE_KEY_ALIAS = 'alias/otpvault-tables';

/**
 * The two customer-managed keys. They are separate on purpose: the seed key is used directly by the
 * Lambdas (Encrypt/Decrypt, always with an encryption context naming the secret), the table key only
 * by DynamoDB on the Lambdas' behalf (`kms:ViaService`). Revoking one never breaks the other.
 */
export class VaultKeys extends Construct {
  /** Encrypts seeds, recovery codes and sensitive fields (application-level envelope). */
  readonly seedKey: Key;
  /** Encrypts the DynamoDB tables at rest. */
  readonly tableKey: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.seedKey = new Key(this, 'SeedKey', {
      alias: SEED_KEY_ALIAS,
      description: 'otpvault: OTP seeds, recovery codes and sensitive secret fields',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tableKey = new Key(this, 'TableKey', {
      alias: TABLE_KEY_ALIAS,
      description: 'otpvault: DynamoDB tables encryption at rest',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * "Only the vault decrypts", against account admins too: the seed key's policy denies Decrypt
   * and ReEncrypt* to every principal but the given ones (the functions that decrypt, and a
   * break-glass role when one is named).
   */
  restrictSeedDecryption(principalArns: readonly string[]): void {
    this.seedKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheVaultDecrypts',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:ReEncrypt*'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...principalArns] } },
      }),
    );
  }
}
