import { S3Client } from '@aws-sdk/client-s3';

/**
 * An S3 client. With an endpoint (the local stack's S3-compatible server) it uses path-style
 * addresses and sends checksums only where S3 requires them, which local servers understand.
 * In AWS the SDK's default stays: every upload carries a checksum, which S3 Object Lock requires.
 *
 * @param config - Region and, locally, the endpoint.
 * @example
 * const s3 = createS3Client({ region: 'eu-west-1' });
 */
export function createS3Client(config: { region: string; endpoint?: string }): S3Client {
  return new S3Client({
    region: config.region,
    maxAttempts: 3,
    ...(config.endpoint && {
      endpoint: config.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  });
}
