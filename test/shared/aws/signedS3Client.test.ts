import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { ensureLocalCredentials } from '../../../local/credentials';
import { LOCAL_ARCHIVE_BUCKET, startLocalS3, type LocalS3 } from '../../../local/s3';
import { S3ArchiveStore } from '../../../shared/audit/archive/S3ArchiveStore';
import { S3Error } from '../../../shared/aws/s3/S3Error';
import { SignedS3Client } from '../../../shared/aws/s3/SignedS3Client';
import { removeTempDataDirs, tempDataDir } from '../../local/runner/helpers';
import { sharedS3Host } from '../../helpers/sharedS3Host';

// The archive's hand-signed S3 client against the local S3 server (s3rver behind the local stack's
// SigV4 check, write-once archive bucket as the bucket policy and Object Lock make it in AWS).
// Faults S3 can answer but the local server never does (throttling, a proxy's page, a cut body)
// are injected by a fetch that changes what the real server answered, never by a stand-in for it.

/** A bucket without the archive's write-once rules. */
const PLAIN_BUCKET = 'plain-bucket';
let s3: LocalS3;
let credentials: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  const dataDir = tempDataDir('s3client');
  credentials = await ensureLocalCredentials(dataDir);
  s3 = await startLocalS3({ dataDir, buckets: [LOCAL_ARCHIVE_BUCKET, PLAIN_BUCKET], host: sharedS3Host() });
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  removeTempDataDirs();
});

/** Every call made through the client, with what the server answered. */
interface Seen {
  url: URL;
  method: string;
  headers: Headers;
  status: number;
}

/** A client of the local server; `fault` may change an answer (`undefined`: the real one). */
function client(fault?: (call: number, real: () => Promise<Response>, url: URL) => Promise<Response | undefined>): { s3: SignedS3Client; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchThrough = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const real = () => fetch(input, init);
    const response = (await fault?.(seen.length + 1, real, url)) ?? (await real());
    seen.push({ url, method: init?.method ?? 'GET', headers: new Headers(init?.headers), status: response.status });
    return response;
  }) as typeof fetch;
  return { s3: new SignedS3Client({ region: 'us-east-1', endpoint: s3.endpoint, credentials: async () => credentials, fetch: fetchThrough }), seen };
}

let unique = 0;
const keyOf = (name: string) => `s3client/${Date.now().toString(36)}-${unique++}/${name}`;
const xml = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'application/xml' } });

describe('SignedS3Client against the local S3 server', () => {
  it('refuses a second create-only put of a key with PreconditionFailed (412), and the first bytes stay', async () => {
    // Prepare
    const { s3: client1 } = client();
    const key = keyOf('once.txt');
    await client1.putObject({ bucket: LOCAL_ARCHIVE_BUCKET, key, body: Buffer.from('first'), ifNoneMatch: '*' });

    // Act
    const again = client1.putObject({ bucket: LOCAL_ARCHIVE_BUCKET, key, body: Buffer.from('second'), ifNoneMatch: '*' });

    // Assess
    await expect(again).rejects.toMatchObject({ name: 'PreconditionFailed', code: 'PreconditionFailed', status: 412 });
    await expect(again).rejects.toBeInstanceOf(S3Error);
    expect((await client1.getObject(LOCAL_ARCHIVE_BUCKET, key)).toString()).toBe('first');
  });

  it('sends the Content-MD5 of the bytes with every put, which the archive bucket requires (as Object Lock does)', async () => {
    // Prepare
    const { s3: client1, seen } = client();
    const body = Buffer.from('{"digest":1}');

    // Act
    await client1.putObject({ bucket: LOCAL_ARCHIVE_BUCKET, key: keyOf('digest.json'), body, contentType: 'application/json', ifNoneMatch: '*' });

    // Assess: the server checked it against the bytes it stored (BadDigest otherwise)
    expect(seen[0]?.headers.get('content-md5')).toBe('LIDC+qS8Evg6YTX6JRGBug==');
    expect(seen[0]?.status).toBe(200);
  });

  it('tells a missing key (NoSuchKey, NotFound on HEAD) from a missing bucket, which the store does not read as missing', async () => {
    // Prepare
    const { s3: client1 } = client();
    const store = new S3ArchiveStore(client1, LOCAL_ARCHIVE_BUCKET);
    const key = keyOf('never.txt');

    // Act / Assess
    await expect(client1.getObject(LOCAL_ARCHIVE_BUCKET, key)).rejects.toMatchObject({ name: 'NoSuchKey', status: 404 });
    await expect(client1.headObject(LOCAL_ARCHIVE_BUCKET, key)).rejects.toMatchObject({ name: 'NotFound', status: 404 });
    expect(await store.get(key)).toBeUndefined();
    expect(await store.exists(key)).toBe(false);
    expect(await store.firstVersion(key)).toBeUndefined();
    await expect(new S3ArchiveStore(client1, 'no-such-bucket').get(key)).rejects.toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });

  it('reads a gzip object as the stored bytes, not decompressed on the way (fetch decodes a Content-Encoding)', async () => {
    // Prepare
    const { s3: client1 } = client();
    const store = new S3ArchiveStore(client1, LOCAL_ARCHIVE_BUCKET);
    const body = gzipSync('{"id":"e1"}\n');
    const key = keyOf('events.jsonl.gz');
    await store.put(key, body, { contentType: 'application/x-ndjson', contentEncoding: 'gzip', metadata: { events: '1' } });

    // Act
    const [read, first] = await Promise.all([store.get(key), store.firstVersion(key)]);

    // Assess
    expect(read).toEqual(body);
    expect(first).toEqual({ body, versions: 1 });
  });

  it('signs and lists keys with characters that need encoding, in the path and in XML', async () => {
    // Prepare
    const { s3: client1 } = client();
    const prefix = keyOf('odd/');
    const names = ['a b.txt', 'a&b<c>"d\'.txt', 'dd=27/x+y.txt', "e!()*~.txt", 'ünïcødé €.txt'];
    for (const name of names) await client1.putObject({ bucket: PLAIN_BUCKET, key: prefix + name, body: Buffer.from(name) });

    // Act
    const keys = await client1.listKeys(PLAIN_BUCKET, prefix);
    const bodies = await Promise.all(keys.map(async (key) => (await client1.getObject(PLAIN_BUCKET, key)).toString()));

    // Assess
    expect(keys).toEqual(names.map((name) => prefix + name).sort());
    expect(bodies).toEqual(keys.map((key) => key.slice(prefix.length)));
  });

  it('follows the pages of both listings to the last', async () => {
    // Prepare
    const { s3: client1, seen } = client();
    const prefix = keyOf('paged/');
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'].map((name) => prefix + name);
    for (const key of keys) await client1.putObject({ bucket: PLAIN_BUCKET, key, body: Buffer.from(key) });
    seen.length = 0;

    // Act
    const versions = await client1.listVersions(PLAIN_BUCKET, prefix, 2);
    const listed = await client1.listKeys(PLAIN_BUCKET, prefix, 2);

    // Assess
    expect(versions.map((version) => version.key)).toEqual(keys);
    expect(versions.every((version) => version.versionId === 'null')).toBe(true);
    expect(listed).toEqual(keys);
    expect(seen.length).toBe(6);
  });

  it('retries a throttled or failed answer (SlowDown, 503) and then succeeds', async () => {
    // Prepare
    const { s3: client1, seen } = client(async (call) => (call === 1 ? xml(503, '<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>') : undefined));

    // Act
    await client1.putObject({ bucket: PLAIN_BUCKET, key: keyOf('throttled.txt'), body: Buffer.from('x') });

    // Assess
    expect(seen.map((call) => call.status)).toEqual([503, 200]);
  });

  it('names an error answer without an S3 error document by its status, after the retries of a 5xx', async () => {
    // Prepare: a proxy's HTML page instead of S3's XML
    const page = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const { s3: failing, seen } = client(async () => new Response(page, { status: 502, headers: { 'content-type': 'text/html' } }));
    const { s3: forbidden } = client(async () => new Response('not xml at all <<<', { status: 403 }));

    // Act
    const get = failing.getObject(PLAIN_BUCKET, keyOf('x'));
    const head = forbidden.headObject(PLAIN_BUCKET, keyOf('x'));

    // Assess
    await expect(get).rejects.toMatchObject({ name: 'InternalError', status: 502 });
    expect(seen.length).toBe(3);
    await expect(head).rejects.toMatchObject({ name: 'Forbidden', status: 403 });
    await expect(forbidden.getObject(PLAIN_BUCKET, keyOf('x'))).rejects.toMatchObject({ name: 'Forbidden', status: 403 });
  });

  it('takes S3\'s error code and message from its error document', async () => {
    // Prepare
    const { s3: client1 } = client(async () => xml(403, '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied &amp; logged</Message><RequestId>R1</RequestId></Error>'));

    // Act
    const attempt = client1.getObject(PLAIN_BUCKET, 'k');

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'AccessDenied', status: 403, message: expect.stringContaining('Access Denied & logged') });
  });

  it.each([
    ['cut short', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['truncated without a marker to go on from', (text: string) => text.replace('<IsTruncated>false</IsTruncated>', '<IsTruncated>true</IsTruncated>')],
    ['with a DTD that declares entities', (text: string) => text.replace('<ListVersionsResult', '<!DOCTYPE x [<!ENTITY e "boom">]><ListVersionsResult')],
    ['of another kind', () => '<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>'],
  ])('refuses a versions page %s (MalformedResponse) instead of reading it as fewer versions', async (_, change) => {
    // Prepare: the real server's answer, altered
    const { s3: setup } = client();
    const prefix = keyOf('malformed/');
    await setup.putObject({ bucket: PLAIN_BUCKET, key: `${prefix}k`, body: Buffer.from('k') });
    const { s3: client1 } = client(async (_call, real) => {
      const answer = await real();
      return xml(answer.status, change(await answer.text()));
    });

    // Act
    const listing = client1.listVersions(PLAIN_BUCKET, prefix);

    // Assess
    await expect(listing).rejects.toMatchObject({ name: 'MalformedResponse', status: 200 });
  });

  it('corrects a clock far from the server\'s from the refusal\'s Date, as the SDK does, and signs again', async () => {
    // Prepare: this process's clock a year ahead (the local server checks signatures against its own)
    const { s3: client1, seen } = client();
    const realNow = Date.now.bind(Date);
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 365 * 86_400_000);

    // Act
    try {
      await client1.putObject({ bucket: PLAIN_BUCKET, key: keyOf('skewed.txt'), body: Buffer.from('x') });
      await client1.headObject(PLAIN_BUCKET, 'never').catch(() => undefined);
    } finally {
      ahead.mockRestore();
    }

    // Assess: refused once (RequestTimeTooSkewed), then every request signed with the server's time
    expect(seen.map((call) => call.status)).toEqual([403, 200, 404]);
  });

  it('corrects the clock from a HEAD refusal too, which has no body to name the skew (the consumer\'s first call)', async () => {
    // Prepare: this process's clock a year ahead
    const { s3: client1, seen } = client();
    const realNow = Date.now.bind(Date);
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 365 * 86_400_000);

    // Act
    let found: boolean;
    try {
      found = await client1.headObject(PLAIN_BUCKET, 'never').then(() => true, (error: { name?: string }) => error.name !== 'NotFound');
    } finally {
      ahead.mockRestore();
    }

    // Assess: a 403 without a body, then the same HEAD signed with the server's time: a plain 404
    expect(seen.map((call) => call.status)).toEqual([403, 404]);
    expect(found).toBe(false);
  });
});
