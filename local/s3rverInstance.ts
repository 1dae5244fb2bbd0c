/**
 * One s3rver on 127.0.0.1, with every request's SigV4 signature checked against a data directory's
 * credentials first, as S3 checks it. s3rver itself does not check V4 signatures and lets anonymous
 * requests in; here neither gets past the check. Run in a process started with
 * `--openssl-legacy-provider` (see `local/s3.ts`): by `local/s3Server.ts` (one server) or
 * `local/s3Host.ts` (several, for a test run).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { LocalCredentialStore } from './credentials';
import { verifySignature, type SignatureProblem } from './sigv4/verifySignature';

/** One S3 server: whose key pairs it accepts, where it keeps objects, and its buckets. */
export interface S3InstanceConfig {
  /** Data directory whose `credentials.json` key pairs may sign requests. */
  dataDir: string;
  /** Folder holding the buckets. */
  directory: string;
  buckets: string[];
  /** Buckets whose objects are write-once, like the archive bucket's policy and Object Lock make them. */
  writeOnceBuckets: string[];
}

/** The slice of Koa's context the check reads. */
interface KoaContext {
  method: string;
  url: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  response: { get(name: string): string };
}
interface StoredObject {
  key: string;
  size: number;
  lastModifiedDate: Date;
  metadata: Record<string, string>;
}
interface FilesystemStore {
  existsObject(bucket: string, key: string): Promise<boolean>;
  listObjects(bucket: string, options: { prefix?: string; startAfter?: string; maxKeys?: number }): Promise<{ objects: StoredObject[]; isTruncated: boolean }>;
  deleteObject(bucket: string, key: string): Promise<void>;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverApp {
  middleware: Middleware[];
  store: FilesystemStore;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;
type AccountModule = { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void; revokeAccessKey(id: string): void } };

const S3_CODES: Record<SignatureProblem, string> = {
  missing: 'AccessDenied',
  incomplete: 'AuthorizationHeaderMalformed',
  unknownKey: 'InvalidAccessKeyId',
  mismatch: 'SignatureDoesNotMatch',
  expired: 'RequestTimeTooSkewed',
};

const require = createRequire(import.meta.url);
const s3rverPath = require.resolve('s3rver');
const S3rver = require(s3rverPath) as new (options: object) => S3rverApp;
const S3Error = require(join(s3rverPath, '..', 'models', 'error.js')) as S3ErrorClass;
const { DUMMY_ACCOUNT } = require(join(s3rverPath, '..', 'models', 'account.js')) as AccountModule;
// s3rver ships a well-known key pair (S3RVER/S3RVER): not here.
DUMMY_ACCOUNT.revokeAccessKey('S3RVER');

/** Bucket and key of an object request (`/bucket/key`, path-style), if it is one. */
function objectOf(path: string): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  return match ? { bucket: decodeURIComponent(match[1]!), key: decodeURIComponent(match[2]!) } : undefined;
}

/** Headers S3 takes as a put's integrity check (Content-MD5, or one of the flexible checksums). */
const INTEGRITY_HEADER = /^(content-md5|x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)|x-amz-sdk-checksum-algorithm)$/;

/** A running s3rver of {@link startS3rverInstance}. */
export interface S3rverInstance {
  port: number;
  /** Stops listening; resolves when open connections are closed. */
  close(): Promise<void>;
}

/** Starts one s3rver for `config` on a free loopback port, with the signature check and S3's behaviours s3rver lacks. */
export async function startS3rverInstance(config: S3InstanceConfig): Promise<S3rverInstance> {
  const credentials = new LocalCredentialStore(config.dataDir);
  const checkSignature: Middleware = async (ctx, next) => {
    const check = await verifySignature({ method: ctx.method, url: ctx.url, headers: ctx.headers }, {
      secretOf: (accessKeyId) => credentials.secretOf(accessKeyId),
      uriEscapePath: false,
    });
    if (!check.ok) throw new S3Error(S3_CODES[check.problem], check.message);
    // s3rver's own check then finds the account of a key pair we have verified.
    DUMMY_ACCOUNT.createKeyPair(check.accessKeyId, (await credentials.secretOf(check.accessKeyId)) ?? '');
    await next();
  };

  /**
   * The archive bucket in AWS is versioned and locked, and its policy denies a put without
   * `If-None-Match: *`. s3rver has neither versions nor conditional puts: here a put to a write-once
   * bucket must carry `If-None-Match: *` (else AccessDenied, as the policy answers) and fails with
   * PreconditionFailed when the key exists. Object Lock also makes S3 refuse a put without an
   * integrity header (InvalidRequest), and check a Content-MD5 against the bytes (BadDigest): so here.
   */
  const writeOnce: Middleware = async (ctx, next) => {
    const target = objectOf(ctx.path);
    const plainPut = ctx.method === 'PUT' && target && !('uploadId' in ctx.query) && !('partNumber' in ctx.query) && !('tagging' in ctx.query);
    if (!plainPut || !config.writeOnceBuckets.includes(target.bucket)) return next();
    if (ctx.headers['if-none-match'] !== '*') {
      throw new S3Error('AccessDenied', 'Access Denied: the bucket policy denies puts without If-None-Match: *');
    }
    if (ctx.headers['x-amz-copy-source'] !== undefined || (await server.store.existsObject(target.bucket, target.key))) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
    }
    if (!Object.keys(ctx.headers).some((name) => INTEGRITY_HEADER.test(name))) {
      throw new S3Error('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
    }
    await next();
    // s3rver stores the bytes and answers their MD5 as the ETag; a Content-MD5 that differs undoes the put.
    const sentMd5 = ctx.headers['content-md5'];
    const storedMd5 = String(ctx.response.get('ETag')).replace(/"/g, '');
    if (typeof sentMd5 === 'string' && Buffer.from(sentMd5, 'base64').toString('hex') !== storedMd5) {
      await server.store.deleteObject(target.bucket, target.key);
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
  };

  /**
   * ListObjectVersions, which s3rver lacks: overwrites being refused above, each key has one version
   * (`null`, as S3 names the version of an object written before versioning). Pages as S3 does
   * (`max-keys`, up to 1000; `key-marker`), so a client that does not follow the markers misses versions.
   */
  const listVersions: Middleware = async (ctx, next) => {
    const bucket = /^\/([^/]+)\/?$/.exec(ctx.path)?.[1];
    if (ctx.method !== 'GET' || bucket === undefined || !('versions' in ctx.query)) return next();
    const prefix = typeof ctx.query.prefix === 'string' ? ctx.query.prefix : '';
    const keyMarker = typeof ctx.query['key-marker'] === 'string' ? ctx.query['key-marker'] : '';
    const asked = Number(ctx.query['max-keys'] ?? 1000);
    const maxKeys = Number.isInteger(asked) && asked >= 0 ? Math.min(asked, 1000) : 1000;
    // One version per key: the versions after a key marker (and its `null` version) start at the next key.
    const { objects, isTruncated } = await server.store.listObjects(decodeURIComponent(bucket), { prefix, startAfter: keyMarker, maxKeys });
    const last = objects.at(-1);
    ctx.body = {
      ListVersionsResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Name: decodeURIComponent(bucket),
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: typeof ctx.query['version-id-marker'] === 'string' ? ctx.query['version-id-marker'] : '',
        ...(isTruncated && last ? { NextKeyMarker: last.key, NextVersionIdMarker: 'null' } : {}),
        MaxKeys: maxKeys,
        IsTruncated: isTruncated,
        Version: objects.map((object) => ({
          Key: object.key,
          VersionId: 'null',
          IsLatest: true,
          LastModified: object.lastModifiedDate.toISOString(),
          ETag: object.metadata.etag,
          Size: object.size,
          StorageClass: 'STANDARD',
        })),
      },
    };
  };

  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: config.directory,
    silent: true,
    configureBuckets: config.buckets.map((name) => ({ name, configs: [] })),
  });
  // After s3rver's logger and XML encoder, so refusals are rendered as S3 error documents.
  server.middleware.splice(3, 0, checkSignature, writeOnce, listVersions);
  const { port } = await server.run();
  return { port, close: () => server.close() };
}
