/**
 * `audit verify --self`: checks the audit archive with the caller's own read access (S3 objects
 * and digests, the signing key's public half from KMS) instead of trusting the API's answer. The
 * same checks as the API (`verifyArchive`), minus the end of the chain, which only the audit
 * table's ledger knows. The AWS SDK is imported only here.
 */
import type { VerifyResult } from '../../shared/audit/archive/verifyArchive';
import { CliError, EXIT } from './errors';

export interface ArchiveCheckOptions {
  from: string;
  to?: string;
  bucket: string;
  signingKey: string;
  region: string;
  /** The local runner's S3 and KMS servers. */
  s3Endpoint?: string;
  kmsEndpoint?: string;
  awsProfile?: string;
}

export async function verifyArchiveYourself(options: ArchiveCheckOptions): Promise<VerifyResult> {
  // The SDK's default credential chain (env, profiles, SSO, container and instance roles) for both clients.
  if (options.awsProfile) process.env.AWS_PROFILE = options.awsProfile;
  const [{ KMSClient }, { fromNodeProviderChain }, { createS3Client }, { S3ArchiveStore }, { KmsSignatureChecker }, { verifyArchive }] = await Promise.all([
    import('@aws-sdk/client-kms'),
    import('@aws-sdk/credential-providers'),
    import('../../shared/aws/s3Client'),
    import('../../shared/audit/archive/S3ArchiveStore'),
    import('../../shared/audit/archive/digestSigning'),
    import('../../shared/audit/archive/verifyArchive'),
  ]);
  const s3 = createS3Client({ region: options.region, endpoint: options.s3Endpoint, credentials: fromNodeProviderChain() });
  const kms = new KMSClient({ region: options.region, ...(options.kmsEndpoint ? { endpoint: options.kmsEndpoint } : {}) });
  try {
    const store = new S3ArchiveStore(s3, options.bucket);
    return await verifyArchive({ store, checker: new KmsSignatureChecker(kms, options.signingKey) }, { from: options.from, to: options.to ?? options.from });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (/AccessDenied|Forbidden|Credentials|UnrecognizedClient|InvalidClientTokenId/.test(name)) {
      throw new CliError(`cannot read the archive: ${error instanceof Error ? error.message : String(error)}`, EXIT.denied);
    }
    throw error;
  } finally {
    kms.destroy();
  }
}
