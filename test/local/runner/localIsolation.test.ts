/**
 * The local stack is as closed as the cloud one: nothing it runs can be reached from another
 * machine, and the KMS emulator and the S3 server accept only requests signed with the data
 * directory's credentials.
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CREDENTIALS_FILE } from '../../../local/credentials';
import { localDynamoDbClient } from '../../../local/dynamo';
import { LOCAL_ARCHIVE_BUCKET } from '../../../local/s3';
import { S3ArchiveStore } from '../../../shared/audit/archive';
import { createS3Client } from '../../../shared/aws/s3Client';
import { startLocalStack, type LocalStack } from '../../../local/stack';
import { removeTempDataDirs, tempDataDir } from './helpers';

/** This machine's own addresses other than loopback (never anyone else's). */
const OWN_ADDRESSES = Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
  (addresses ?? [])
    .filter((address) => !address.internal)
    // A link-local address is only reachable through its interface.
    .map((address) => (address.address.startsWith('fe80:') ? `${address.address}%${name}` : address.address)),
);

let stack: LocalStack;

beforeAll(async () => {
  process.env.OTPVAULT_LOG_LEVEL = 'warn';
  stack = await startLocalStack({ dataDir: tempDataDir('isolation'), port: 0, quiet: true });
});

afterAll(async () => {
  await stack?.stop();
  removeTempDataDirs();
});

/** Opens a TCP connection and reports whether it was accepted or how it failed. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const portOf = (endpoint: string) => Number(new URL(endpoint).port);

const services = () => [
  ['DynamoDB Local', portOf(stack.dynamoDbEndpoint)],
  ['the KMS emulator', portOf(stack.kmsEndpoint)],
  ['the S3 server', portOf(stack.s3Endpoint)],
  ['the API', portOf(stack.url)],
] as const;

const fromAnotherAddress = OWN_ADDRESSES.length > 0 ? describe : describe.skip;

describe('network reach', () => {
  it('accepts connections on loopback', async () => {
    for (const [, port] of services()) expect(await tryConnect('127.0.0.1', port)).toBe('connected');
  });

  fromAnotherAddress(`from this machine's non-loopback addresses (${OWN_ADDRESSES.join(', ') || 'none'})`, () => {
    it.each(OWN_ADDRESSES)('refuses connections to every service on %s', async (address) => {
      for (const [name, port] of services()) {
        expect({ name, result: await tryConnect(address, port) }).toEqual({ name, result: 'ECONNREFUSED' });
      }
    });
  });

  it('still serves DynamoDB on loopback after binding there', async () => {
    const client = localDynamoDbClient(stack.dynamoDbEndpoint);
    const { TableNames } = await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(TableNames?.length).toBeGreaterThan(0);
  });
});

describe('signed requests only', () => {
  it('keeps the credentials in the data directory, readable by its owner only', async () => {
    const mode = (await stat(join(stack.dataDir, CREDENTIALS_FILE))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('refuses a KMS Decrypt signed with a guessed secret with InvalidSignatureException', async () => {
    // Prepare
    const kms = new KMSClient({
      region: 'us-east-1',
      endpoint: stack.kmsEndpoint,
      credentials: { accessKeyId: stack.credentials.accessKeyId, secretAccessKey: 'guessed' },
      maxAttempts: 1,
    });

    // Act
    const attempt = kms.send(new DecryptCommand({ CiphertextBlob: new Uint8Array(64), KeyId: stack.seedKeyArn }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    kms.destroy();
  });

  it('refuses a KMS request with a truncated signature header with IncompleteSignatureException', async () => {
    // Act
    const response = await fetch(stack.kmsEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.Decrypt',
        authorization: `AWS4-HMAC-SHA256 Credential=${stack.credentials.accessKeyId}/20260101/us-east-1/kms/aws4_request, Signature=00`,
      },
      body: '{}',
    });

    // Assess
    expect(await response.json()).toMatchObject({ __type: 'IncompleteSignatureException' });
  });

  it('lets the vault identity write and read the archive bucket', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint, forcePathStyle: true, credentials: stack.credentials });
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_ARCHIVE_BUCKET, Key: 'isolation/probe.txt', Body: 'probe', IfNoneMatch: '*' }));
    const read = await s3.send(new GetObjectCommand({ Bucket: LOCAL_ARCHIVE_BUCKET, Key: 'isolation/probe.txt' }));
    expect(await read.Body?.transformToString()).toBe('probe');
    s3.destroy();
  });

  it('refuses anonymous S3 requests with AccessDenied', async () => {
    const response = await fetch(`${stack.s3Endpoint}/${LOCAL_ARCHIVE_BUCKET}?list-type=2`);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });

  it.each([
    ['a guessed secret', (pair: { accessKeyId: string }) => ({ accessKeyId: pair.accessKeyId, secretAccessKey: 'guessed' }), 'SignatureDoesNotMatch'],
    ["s3rver's built-in key pair", () => ({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }), 'InvalidAccessKeyId'],
  ])('refuses S3 requests signed with %s', async (_, credentials, code) => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint, forcePathStyle: true, credentials: credentials(stack.credentials), maxAttempts: 1 });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: LOCAL_ARCHIVE_BUCKET }))).rejects.toMatchObject({ name: code });
    s3.destroy();
  });
});

describe('the archive bucket is write-once', () => {
  const client = () => new S3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint, forcePathStyle: true, credentials: stack.credentials, maxAttempts: 1 });

  it('refuses a second put under an existing key with PreconditionFailed, and keeps the first', async () => {
    // Prepare
    const store = new S3ArchiveStore(createS3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint, credentials: async () => stack.credentials }), LOCAL_ARCHIVE_BUCKET);
    await store.put('isolation/once.txt', Buffer.from('first'), { contentType: 'text/plain' });

    // Act
    const again = store.put('isolation/once.txt', Buffer.from('second'), { contentType: 'text/plain' });

    // Assess
    await expect(again).rejects.toMatchObject({ name: 'PreconditionFailed' });
    expect(await store.firstVersion('isolation/once.txt')).toEqual({ body: Buffer.from('first'), versions: 1 });
    expect(await store.firstVersion('isolation/never.txt')).toBeUndefined();
  });

  it('refuses a put without Content-MD5 or a checksum, and one whose Content-MD5 is not of its bytes, as Object Lock does', async () => {
    // Prepare: the SDK adds a CRC32 to every put unless told to add it only where required
    const s3 = new S3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint, forcePathStyle: true, credentials: stack.credentials, maxAttempts: 1, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const put = (key: string, contentMd5?: string) => s3.send(new PutObjectCommand({ Bucket: LOCAL_ARCHIVE_BUCKET, Key: key, Body: 'x', IfNoneMatch: '*', ContentMD5: contentMd5 }));

    // Act / Assess
    await expect(put('isolation/unchecked.txt')).rejects.toMatchObject({ name: 'InvalidRequest' });
    await expect(put('isolation/wrong-md5.txt', Buffer.alloc(16).toString('base64'))).rejects.toMatchObject({ name: 'BadDigest' });
    await expect(s3.send(new GetObjectCommand({ Bucket: LOCAL_ARCHIVE_BUCKET, Key: 'isolation/wrong-md5.txt' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(put('isolation/checked.txt', createHash('md5').update('x').digest('base64'))).resolves.toBeDefined();
    s3.destroy();
  });

  it('refuses a put without If-None-Match: * with AccessDenied, as the bucket policy does', async () => {
    const s3 = client();
    const attempt = s3.send(new PutObjectCommand({ Bucket: LOCAL_ARCHIVE_BUCKET, Key: 'isolation/unconditional.txt', Body: 'x' }));
    await expect(attempt).rejects.toMatchObject({ name: 'AccessDenied' });
    s3.destroy();
  });
});
