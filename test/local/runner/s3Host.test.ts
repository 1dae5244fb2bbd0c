import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureLocalCredentials, type LocalKeyPair } from '../../../local/credentials';
import { LOCAL_ARCHIVE_BUCKET, startLocalS3, startS3Host, type LocalS3, type RunningS3Host } from '../../../local/s3';
import { S3Error } from '../../../shared/aws/s3/S3Error';
import { SignedS3Client } from '../../../shared/aws/s3/SignedS3Client';
import { removeTempDataDirs, tempDataDir } from './helpers';

// The host a test run starts its stacks' S3 servers in (test/helpers/sharedS3Host.ts): each server is
// a stack's own, as if in a process of its own: its port, its folder, only its data directory's keys.

interface Stack {
  dataDir: string;
  keys: LocalKeyPair;
  s3: LocalS3;
}

let host: RunningS3Host;
let first: Stack;
let second: Stack;

async function stackOn(running: RunningS3Host, label: string): Promise<Stack> {
  const dataDir = tempDataDir(label);
  const keys = await ensureLocalCredentials(dataDir);
  return { dataDir, keys, s3: await startLocalS3({ dataDir, host: running }) };
}

const clientOf = (server: LocalS3, keys: LocalKeyPair) => new SignedS3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: async () => keys });
const control = (path: string, init: RequestInit = {}, token = host.token) =>
  fetch(`${host.endpoint}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });

beforeAll(async () => {
  host = await startS3Host();
  [first, second] = await Promise.all([stackOn(host, 's3host-a'), stackOn(host, 's3host-b')]);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled([first?.s3.stop(), second?.s3.stop()]);
  await host?.stop();
  removeTempDataDirs();
});

describe('a host of local S3 servers', () => {
  it('gives each stack a server of its own, keeping its objects in <dataDir>/s3', async () => {
    expect(first.s3.endpoint).not.toBe(second.s3.endpoint);
    await clientOf(first.s3, first.keys).putObject({ bucket: LOCAL_ARCHIVE_BUCKET, key: 'a/one.txt', body: Buffer.from('one'), ifNoneMatch: '*' });
    expect((await clientOf(first.s3, first.keys).getObject(LOCAL_ARCHIVE_BUCKET, 'a/one.txt')).toString()).toBe('one');
    expect(first.s3.directory).toBe(join(first.dataDir, 's3'));
    expect(existsSync(join(first.dataDir, 's3', LOCAL_ARCHIVE_BUCKET, 'a'))).toBe(true);
    // The other stack's bucket of the same name is another folder: the object is not there.
    await expect(clientOf(second.s3, second.keys).getObject(LOCAL_ARCHIVE_BUCKET, 'a/one.txt')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it("refuses a request signed with another stack's key pair, as each stack's own process does", async () => {
    const attempt = clientOf(second.s3, first.keys).getObject(LOCAL_ARCHIVE_BUCKET, 'a/one.txt');
    await expect(attempt).rejects.toBeInstanceOf(S3Error);
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
  });

  it('keeps the archive bucket write-once', async () => {
    const put = () => clientOf(second.s3, second.keys).putObject({ bucket: LOCAL_ARCHIVE_BUCKET, key: 'b/once.txt', body: Buffer.from('x'), ifNoneMatch: '*' });
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'PreconditionFailed' });
  });

  it('refuses control requests without its token and configurations that are not one', async () => {
    expect((await control('/servers', { method: 'POST', body: '{}' }, 'x'.repeat(host.token.length))).status).toBe(401);
    const malformed = await control('/servers', { method: 'POST', body: JSON.stringify({ dataDir: first.dataDir }) });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('expected {dataDir, directory, buckets, writeOnceBuckets}');
    expect((await control('/servers/1', { method: 'DELETE' })).status).toBe(404);
  });

  it("stops a stack's server when the stack stops it, and the others keep serving", async () => {
    const third = await stackOn(host, 's3host-c');
    await third.s3.stop();
    await third.s3.stop();
    await expect(fetch(`${third.s3.endpoint}/${LOCAL_ARCHIVE_BUCKET}`)).rejects.toThrow();
    expect((await clientOf(first.s3, first.keys).getObject(LOCAL_ARCHIVE_BUCKET, 'a/one.txt')).toString()).toBe('one');
  });

  it('ends with every server in it when stopped', async () => {
    const other = await startS3Host();
    const stack = await stackOn(other, 's3host-d');
    await other.stop();
    await expect(fetch(`${other.endpoint}/servers`)).rejects.toThrow();
    await expect(fetch(`${stack.s3.endpoint}/${LOCAL_ARCHIVE_BUCKET}`)).rejects.toThrow();
    // A stack that starts afterwards is told which host is gone, not just "fetch failed".
    await expect(stackOn(other, 's3host-e')).rejects.toThrow(`the S3 host at ${other.endpoint} did not answer POST /servers (has it stopped?)`);
  });
});
