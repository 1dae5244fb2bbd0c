import type { AwsCredentials } from '../client/sigv4';
import { environmentCredentials } from './envCredentials';
import { SignedS3Client } from './s3/SignedS3Client';

/**
 * The archive's S3 client (`SignedS3Client`: SigV4 over fetch, not `@aws-sdk/client-s3`, whose
 * import outweighed the rest of the two archive functions' cold start). With an endpoint (the
 * local stack's S3-compatible server) it uses path-style addresses.
 *
 * @param config - Region; locally the endpoint; the credentials (default: the environment's, as Lambda sets them).
 * @example
 * const s3 = createS3Client({ region: 'eu-west-1' });
 */
export function createS3Client(config: { region: string; endpoint?: string; credentials?: () => Promise<AwsCredentials> }): SignedS3Client {
  return new SignedS3Client({
    region: config.region,
    credentials: config.credentials ?? environmentCredentials(),
    maxAttempts: 3,
    ...(config.endpoint && { endpoint: config.endpoint }),
  });
}
