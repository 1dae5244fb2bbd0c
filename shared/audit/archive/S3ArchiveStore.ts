import { S3Error } from '../../aws/s3/S3Error';
import type { SignedS3Client } from '../../aws/s3/SignedS3Client';
import type { ArchiveStore, FirstVersion, PutOptions } from './ArchiveStore';

/**
 * The archive bucket in S3. Every write asks for SSE-KMS (with the archive key when one is
 * configured; the bucket's Object Lock default retention applies to each new version), and
 * `If-None-Match: *`, so an existing key is never given a second version (the bucket policy denies
 * puts without it).
 */
export class S3ArchiveStore implements ArchiveStore {
  constructor(
    private readonly s3: SignedS3Client,
    private readonly bucket: string,
    private readonly kmsKeyId?: string,
  ) {}

  async put(key: string, body: Buffer, options: PutOptions): Promise<void> {
    await this.s3.putObject({
      bucket: this.bucket,
      key,
      body,
      contentType: options.contentType,
      contentEncoding: options.contentEncoding,
      metadata: options.metadata,
      ifNoneMatch: '*',
      kms: { keyId: this.kmsKeyId, bucketKey: this.kmsKeyId !== undefined },
    });
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await this.s3.getObject(this.bucket, key);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async firstVersion(key: string): Promise<FirstVersion | undefined> {
    const versions = (await this.s3.listVersions(this.bucket, key)).filter((version) => version.key === key);
    // S3 lists a key's versions newest first.
    const first = versions.at(-1);
    if (first === undefined) return undefined;
    return { body: await this.s3.getObject(this.bucket, key, first.versionId), versions: versions.length };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.headObject(this.bucket, key);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.s3.listKeys(this.bucket, prefix)).sort();
  }
}

/** No such key. A missing bucket (NoSuchBucket, also 404) is an error, not an empty archive. */
function isNotFound(error: unknown): boolean {
  return error instanceof S3Error && (error.code === 'NoSuchKey' || (error.code === 'NotFound' && error.status === 404));
}
