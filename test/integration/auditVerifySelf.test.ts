import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { createProgram, type CliOutput } from '../../cli/program';
import { S3ArchiveStore } from '../../shared/audit/archive/S3ArchiveStore';
import { createS3Client } from '../../shared/aws/s3Client';
import { LOCAL_ARCHIVE_BUCKET } from '../../local/s3';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

let vault: TestVault;
const today = new Date().toISOString().slice(0, 10);

async function verifyYourself(): Promise<{ out: string; error?: unknown }> {
  let out = '';
  const output: CliOutput = { out: (text) => void (out += text), err: (text) => void (out += text) };
  const args = ['audit', 'verify', '--from', today, '--self', '--json', '--archive-bucket', LOCAL_ARCHIVE_BUCKET, '--signing-key', vault.stack.audit.signingKeyArn];
  args.push('--region', 'us-east-1', '--s3-endpoint', vault.stack.s3Endpoint, '--kms-endpoint', vault.stack.kmsEndpoint);
  try {
    await createProgram(output).parseAsync(args, { from: 'user' });
    return { out };
  } catch (error) {
    return { out, error };
  }
}

beforeAll(async () => {
  vault = await startTestVault();
  const token = await vault.token('alice', ['admins']);
  const created = await vault.call('POST', '/v1/secrets', { token, body: { path: uniquePath('/verify'), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
  await vault.call('POST', `/v1/secrets/${created.body.id as string}/otp`, { token });
  await vault.stack.audit.flush();
});
afterAll(async () => vault?.stop());

describe('otpvault audit verify --self', () => {
  it('checks the signed digest chain and the objects itself, from the archive and the key\'s public half', async () => {
    // Act
    const { out, error } = await verifyYourself();

    // Assess
    expect(error).toBeUndefined();
    const answer = JSON.parse(out) as { ok: boolean; checkedDigests: number; checkedObjects: number };
    expect(answer).toMatchObject({ ok: true, problems: [] });
    expect(answer.checkedDigests).toBeGreaterThan(0);
    expect(answer.checkedObjects).toBeGreaterThan(0);
  });

  it('names an event object changed in the bucket and exits 8', async () => {
    // Prepare: rewrite one archived object behind the vault's back, in the S3 server's own files
    // (the bucket refuses overwrites through the API, as its policy does in AWS).
    const s3 = createS3Client({ region: 'us-east-1', endpoint: vault.stack.s3Endpoint });
    const store = new S3ArchiveStore(s3, LOCAL_ARCHIVE_BUCKET);
    const [key] = await store.list(`events/yyyy=${today.slice(0, 4)}/mm=${today.slice(5, 7)}/dd=${today.slice(8, 10)}/`);
    await writeFile(join(vault.stack.dataDir, 's3', LOCAL_ARCHIVE_BUCKET, `${key}._S3rver_object`), 'forged');

    // Act
    const { out, error } = await verifyYourself();

    // Assess
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(8);
    const answer = JSON.parse(out.slice(0, out.lastIndexOf('}') + 1)) as { ok: boolean; problems: { kind: string; key: string }[] };
    expect(answer.ok).toBe(false);
    expect(answer.problems).toContainEqual(expect.objectContaining({ kind: 'altered', key }));
  });
});
