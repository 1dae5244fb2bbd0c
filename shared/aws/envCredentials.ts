import type { AwsCredentials } from '../client/sigv4';

/**
 * The credentials Lambda gives a function's role, in its environment (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`; the local runner sets the same), read at each call.
 * Hand-signed clients use this instead of the SDK's provider chain, which they would have to import.
 *
 * @param env - Where to read them. @default process.env
 * @example
 * const s3 = new SignedS3Client({ region, credentials: environmentCredentials() });
 */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): () => Promise<AwsCredentials> {
  return async () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new Error('no AWS credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)');
    return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  };
}
