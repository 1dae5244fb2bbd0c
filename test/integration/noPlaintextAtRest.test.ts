import { gunzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import QRCode from 'qrcode';
import { Secret } from 'otpauth';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';
import { encodingsOf, filesUnder, readAll, scan } from '../helpers/leakScan';

// A full run with known seeds, passwords and recovery codes; afterwards none of them may appear in
// the DynamoDB Local files, the KMS emulator's files, any log line, or any response (except the one
// reveal response that hands out each recovery code).
describe('no plaintext secret at rest, in logs or in responses', () => {
  let vault: TestVault;
  const logs: string[] = [];
  let restoreStdout: () => void;

  beforeAll(async () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    restoreStdout = () => spy.mockRestore();
    vault = await startTestVault({ logLevel: 'debug' });
  });
  afterAll(async () => {
    restoreStdout?.();
    await vault?.stop();
  });

  it('finds none of the stored secrets anywhere', async () => {
    // Prepare
    const admin = await vault.token('alice', ['admins']);
    const seeds = Array.from({ length: 4 }, () => new Secret({ size: 20 }));
    const passwords = Array.from({ length: 3 }, (_, i) => `pw-${i}-${Math.random().toString(36).slice(2, 12)}`);
    const codes = Array.from({ length: 6 }, (_, i) => `rc${i}-${Math.random().toString(36).slice(2, 10)}`);
    const png = await QRCode.toBuffer(`otpauth://totp/QR:alice?secret=${seeds[3]!.base32}&issuer=QR`, { type: 'png', width: 400 });

    // Act: every kind of write and read the vault offers.
    const a = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath(), template: 'webapp-otp', fields: { url: 'https://a.example', username: 'a', password: passwords[0], otpSeed: { uri: `otpauth://totp/A:a?secret=${seeds[0]!.base32}` }, recoveryCodes: codes.slice(0, 3) } },
    });
    const b = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath(), template: 'webapp-otp', fields: { url: 'https://b.example', username: 'b', password: passwords[1], otpSeed: { setupKey: seeds[1]!.base32.toLowerCase(), digits: 8 } } },
    });
    const c = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath(), template: 'webapp-otp', fields: { url: 'https://c.example', username: 'c', password: passwords[2], otpSeed: { qrImage: png.toString('base64') } } },
    });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    const ids = [a, b, c].map((r) => r.body.id as string);
    await vault.call('PUT', `/v1/secrets/${ids[1]}/otp-seed`, { token: admin, body: { setupKey: seeds[2]!.base32 } });
    await vault.call('PUT', `/v1/secrets/${ids[1]}/recovery-codes`, { token: admin, body: { codes: codes.slice(3) } });
    const otps: string[] = [];
    for (const id of ids) {
      const otp = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin });
      expect(otp.status).toBe(200);
      otps.push(otp.body.code as string);
      await vault.call('GET', `/v1/secrets/${id}`, { token: admin });
    }
    const reveal = await vault.call('POST', `/v1/secrets/${ids[0]}/recovery-codes/reveal`, { token: admin });
    expect(reveal.status).toBe(200);
    await vault.call('GET', '/v1/secrets', { token: admin });
    // A failing request with a seed in it must not echo it either.
    await vault.call('POST', '/v1/secrets', { token: admin, rawBody: `{"path":"/x","fields":{"otpSeed":{"setupKey":"${seeds[0]!.base32}"`, headers: { 'content-type': 'application/json' } });
    const responses = [...vault.responses];
    // Let the stream consumer copy every event into the audit table and the S3 archive.
    await vault.stack.audit.flush();
    await vault.stop({ keepData: true });

    // Assess
    const secrets = [
      ...seeds.map((s, i) => ({ name: `seed ${i}`, patterns: [...encodingsOf(s.base32), ...encodingsOf(s.bytes)] })),
      ...passwords.map((p, i) => ({ name: `password ${i}`, patterns: encodingsOf(p) })),
      ...codes.map((c2, i) => ({ name: `recovery code ${i}`, patterns: encodingsOf(c2) })),
    ];
    const files = filesUnder(vault.dataDir);
    expect(files.some((f) => f.includes('dynamodb'))).toBe(true);
    const revealed = reveal.body.code as string;
    // Archive objects are gzip-compressed JSON Lines: scan them decompressed too.
    const archived = readAll(files)
      .filter((b) => b.data[0] === 0x1f && b.data[1] === 0x8b)
      .map((b) => ({ where: `${b.where} (gunzipped)`, data: gunzipSync(b.data) }));
    expect(archived.length).toBeGreaterThan(0);
    expect(Buffer.concat(archived.map((a) => a.data)).toString()).toContain('"action":"otp:generate"');
    const blobs = [
      ...readAll(files),
      ...archived,
      { where: 'logs', data: Buffer.from(logs.join('')) },
      ...responses.filter((r) => r !== reveal.text).map((r, i) => ({ where: `response ${i}`, data: Buffer.from(r) })),
    ];
    expect(scan(blobs, secrets)).toEqual([]);
    // OTPs may appear in their own responses only: never in the data files, the archive or the logs.
    const codes6 = otps.map((code, i) => ({ name: `otp ${i}`, patterns: [Buffer.from(`"${code}"`)] }));
    expect(scan([...readAll(files), ...archived, { where: 'logs', data: Buffer.from(logs.join('')) }], codes6)).toEqual([]);
    // The control: the scan does find what is there.
    expect(scan([{ where: 'reveal', data: Buffer.from(reveal.text) }], secrets).map((h) => h.secret)).toEqual([`recovery code ${codes.indexOf(revealed)}`]);
    expect(logs.join('')).toContain('"message":"request"');
  });
});
