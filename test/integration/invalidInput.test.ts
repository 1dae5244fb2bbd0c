import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

let vault: TestVault;
let admin: string;

let outbox: OutboxReader;

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  admin = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});

const SEED = 'JBSWY3DPEHPK3PXP';
const webapp = (path: string, otpSeed: unknown, overrides: Record<string, unknown> = {}) => ({
  path,
  template: 'webapp-otp',
  fields: { url: 'https://vendor.example', username: 'ops', password: 'pw-123456', otpSeed, ...overrides },
});

async function secretCount(): Promise<number> {
  const res = await vault.call<{ items: unknown[] }>('GET', '/v1/secrets?limit=1000', { token: admin });
  return res.body.items.length;
}

interface Case {
  name: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  status: number;
  message: RegExp;
}

const cases: Case[] = [
  { name: 'bad base32 in a setup key', body: webapp(uniquePath(), { setupKey: 'not base32 !!' }), status: 400, message: /base32/i },
  { name: 'an unknown algorithm', body: webapp(uniquePath(), { setupKey: SEED, algorithm: 'MD5' }), status: 400, message: /algorithm/i },
  { name: 'digits above 8', body: webapp(uniquePath(), { setupKey: SEED, digits: 9 }), status: 400, message: /digits/i },
  { name: 'digits below 6', body: webapp(uniquePath(), { setupKey: SEED, digits: 5 }), status: 400, message: /digits/i },
  { name: 'a zero period', body: webapp(uniquePath(), { setupKey: SEED, period: 0 }), status: 400, message: /period/i },
  { name: 'a negative period', body: webapp(uniquePath(), { setupKey: SEED, period: -30 }), status: 400, message: /period/i },
  { name: 'a URI that is not otpauth', body: webapp(uniquePath(), { uri: 'https://example.com/?secret=' + SEED }), status: 400, message: /otpauth/i },
  { name: 'an otpauth URI without a secret', body: webapp(uniquePath(), { uri: 'otpauth://totp/X:y?issuer=X' }), status: 400, message: /secret/i },
  { name: 'an unknown template', body: { path: uniquePath(), template: 'no-such-template', fields: {} }, status: 404, message: /template/i },
  { name: 'a missing required field', body: { path: uniquePath(), template: 'webapp-otp', fields: { url: 'https://x.example', username: 'u', otpSeed: { setupKey: SEED } } }, status: 400, message: /password is required/ },
  { name: 'a field the template lacks', body: webapp(uniquePath(), { setupKey: SEED }, { colour: 'red' }), status: 400, message: /no field colour/ },
  { name: 'a url that is not http(s)', body: webapp(uniquePath(), { setupKey: SEED }, { url: 'javascript:alert(1)' }), status: 400, message: /url/i },
  { name: 'a path with a wildcard', body: webapp('/aws/*/root', { setupKey: SEED }), status: 400, message: /path/i },
  { name: 'a relative path', body: webapp('aws/root', { setupKey: SEED }), status: 400, message: /path/i },
  { name: 'two seed forms at once', body: webapp(uniquePath(), { setupKey: SEED, uri: `otpauth://totp/a?secret=${SEED}` }), status: 400, message: /exactly one|one of/i },
  { name: 'malformed JSON', rawBody: '{"path": "/x", ', headers: { 'content-type': 'application/json' }, status: 400, message: /not valid JSON/ },
  { name: 'a body that is not JSON', rawBody: 'path=/x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, message: /application\/json/ },
  { name: 'an oversized body', rawBody: JSON.stringify({ path: '/x', template: 'webapp-otp', fields: { note: 'x'.repeat(6_100_000) } }), headers: { 'content-type': 'application/json' }, status: 413, message: /at most/ },
  { name: 'a picture that is not an image', body: webapp(uniquePath(), { qrImage: Buffer.from('hello, this is text').toString('base64') }), status: 400, message: /not a PNG, JPEG, HEIC, WebP or AVIF image/i },
  { name: 'a picture that is not base64', body: webapp(uniquePath(), { qrImage: '%%% not base64 %%%' }), status: 400, message: /base64/i },
  { name: 'unknown top-level keys', body: { ...webapp(uniquePath(), { setupKey: SEED }), owner: 'bob' }, status: 400, message: /owner/ },
];

describe('invalid input to POST /v1/secrets', () => {
  it.each(cases)('rejects $name with a specific 4xx and stores nothing', async (c) => {
    // Prepare
    const before = await secretCount();
    // Act
    const res = await vault.call('POST', '/v1/secrets', { token: admin, body: c.body, rawBody: c.rawBody, headers: c.headers });
    // Assess
    expect(res.status).toBe(c.status);
    const error = (res.body as { error: { code: string; message: string } }).error;
    expect(error.code).toEqual(expect.any(String));
    expect(error.message).toMatch(c.message);
    expect(res.text).not.toContain(SEED);
    expect(await secretCount()).toBe(before);
    // Refused input is audited too: one event, result error, with the status the caller got.
    const events = await outbox.eventsOf(res.headers.get('x-request-id'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ operation: 'createSecret', action: 'secret:write', result: 'error', status: c.status, actor: { principal: 'user:alice' } });
    expect(JSON.stringify(events[0])).not.toContain(SEED);
  });
});

describe('invalid input elsewhere', () => {
  it('rejects an ill-formed secret id with 400', async () => {
    const res = await vault.call('GET', '/v1/secrets/..%2Fetc', { token: admin });
    expect(res.status).toBe(400);
  });

  it('answers 404 for a well-formed but unknown secret id (for an admin)', async () => {
    const res = await vault.call('POST', '/v1/secrets/00000000-0000-4000-8000-000000000000/otp', { token: admin });
    expect(res.status).toBe(404);
  });

  it('rejects an empty recovery code set', async () => {
    const created = await vault.call('POST', '/v1/secrets', { token: admin, body: webapp(uniquePath(), { setupKey: SEED }) });
    const res = await vault.call('PUT', `/v1/secrets/${created.body.id as string}/recovery-codes`, { token: admin, body: { codes: [] } });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/at least one/);
  });

  it('rejects a template with two otpSeed fields', async () => {
    const res = await vault.call('POST', '/v1/templates', {
      token: admin,
      body: { name: 'Twice', fields: [{ name: 'a', type: 'otpSeed' }, { name: 'b', type: 'otpSeed' }] },
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/at most one otpSeed/);
  });

  it('rejects a bad cursor', async () => {
    const res = await vault.call('GET', '/v1/secrets?cursor=garbage', { token: admin });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/cursor/);
  });
});

describe('templates', () => {
  it('lists the predefined WebApp with OTP template with its fields', async () => {
    const res = await vault.call<{ items: { id: string; fields: { name: string; type: string; sensitive: boolean }[] }[] }>('GET', '/v1/templates', { token: admin });
    const webappTemplate = res.body.items.find((t) => t.id === 'webapp-otp');
    expect(webappTemplate?.fields.map((f) => [f.name, f.type, f.sensitive])).toEqual([
      ['url', 'url', false],
      ['username', 'text', false],
      ['password', 'password', true],
      ['otpSeed', 'otpSeed', true],
      ['recoveryCodes', 'recoveryCodes', true],
    ]);
  });

  it('creates a custom template and builds a secret from it', async () => {
    // Prepare
    const id = `vendor-${Date.now().toString(36)}`;
    // Act
    const created = await vault.call('POST', '/v1/templates', {
      token: admin,
      body: { id, name: 'Vendor portal', fields: [{ name: 'tenant', type: 'text', required: true }, { name: 'pin', type: 'note', sensitive: true }, { name: 'mfa', type: 'otpSeed', required: true }] },
    });
    const fetched = await vault.call('GET', `/v1/templates/${id}`, { token: admin });
    const secret = await vault.call('POST', '/v1/secrets', { token: admin, body: { path: uniquePath(), template: id, fields: { tenant: 'acme', pin: '4711', mfa: { setupKey: SEED } } } });
    const duplicate = await vault.call('POST', '/v1/templates', { token: admin, body: { id, name: 'Again', fields: [{ name: 'x', type: 'text' }] } });
    // Assess
    expect(created.status).toBe(201);
    expect(fetched.body).toMatchObject({ id, builtin: false, fields: [{ name: 'tenant' }, { name: 'pin', sensitive: true }, { name: 'mfa', sensitive: true }] });
    expect(secret.status).toBe(201);
    expect(secret.body).toMatchObject({ fields: { tenant: 'acme', pin: { sensitive: true, set: true }, mfa: { set: true } } });
    expect(secret.text).not.toContain('4711');
    expect(duplicate.status).toBe(409);
  });
});
