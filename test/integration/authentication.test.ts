import { generateKeyPair, SignJWT } from 'jose';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';
import { routes } from '../../shared/api/routes';

let vault: TestVault;
let admin: string;
let secretId: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
  const created = await vault.call('POST', '/v1/secrets', {
    token: admin,
    body: { path: uniquePath(), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['a-1'] } },
  });
  secretId = created.body.id as string;
});
afterAll(async () => {
  await vault?.stop();
});

const concrete = (path: string) =>
  path.replace('{secretId}', secretId).replace('{templateId}', 'webapp-otp').replace('{policyId}', 'builtin-admins').replace('{field}', 'password');
const protectedRoutes = routes.filter((r) => r.auth === 'required');
/**
 * Routes any authenticated caller reaches (`/v1/me`, access requests: the service decides, see
 * approvals.test.ts): they answer, possibly empty, instead of refusing.
 */
const SELF_SERVICE: readonly string[] = routes.filter((r) => r.authorize.on === 'caller').map((r) => r.op);

async function foreignToken(): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ username: 'mallory', 'cognito:groups': ['admins'], token_use: 'access', client_id: 'otpvault-local' })
    .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
    .setIssuer('urn:otpvault:local')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

describe('authentication and the admins-only rule', () => {
  it('answers GET /health without a token', async () => {
    const res = await vault.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it.each(protectedRoutes.map((r) => [r.method, r.path]))('refuses %s %s without a token (401)', async (method, path) => {
    const res = await vault.call(method, concrete(path));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'Unauthenticated' } });
  });

  it.each(protectedRoutes.filter((r) => !SELF_SERVICE.includes(r.op)).map((r) => [r.method, r.path]))('refuses %s %s to a non-admin without policies (403)', async (method, path) => {
    const token = await vault.token('bob', ['ops']);
    const res = await vault.call(method, concrete(path), { token, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
    // Invalid bodies may be refused first (400); never allowed.
    expect([400, 403]).toContain(res.status);
    if (res.status === 400) return;
    expect(res.body).toMatchObject({ error: { code: 'Forbidden' } });
  });

  // A token the Lambda authorizer refuses is 403, as API Gateway answers `isAuthorized: false`
  // (locally with code Unauthenticated and the reason; in AWS a bare {"message":"Forbidden"}).
  it('refuses an expired token', async () => {
    const token = await vault.stack.issuer.signToken({ user: 'alice', groups: ['admins'], ttlSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const res = await vault.call('GET', '/v1/secrets', { token });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'Unauthenticated' } });
    expect(res.text).toMatch(/expired/i);
  });

  it('refuses a token signed by another key', async () => {
    const res = await vault.call('GET', '/v1/secrets', { token: await foreignToken() });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'Unauthenticated' } });
  });

  it('refuses a tampered token', async () => {
    const [h, p, s] = admin.split('.');
    const claims = JSON.parse(Buffer.from(p as string, 'base64url').toString());
    claims.username = 'mallory';
    const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    const res = await vault.call('GET', '/v1/secrets', { token: forged });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'Unauthenticated' } });
  });

  it('refuses a malformed Authorization header', async () => {
    const res = await vault.call('GET', '/v1/secrets', { headers: { authorization: 'Basic YWxpY2U6cHc=' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'Unauthenticated' } });
    expect(res.text).toMatch(/Bearer/);
  });

  it('gives a non-admin the same 403 for a missing secret as for an existing one', async () => {
    const token = await vault.token('bob', ['ops']);
    const existing = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token });
    const missing = await vault.call('POST', '/v1/secrets/00000000-0000-4000-8000-000000000000/otp', { token });
    expect(existing.status).toBe(403);
    expect(missing.status).toBe(403);
    expect(Object.keys(missing.body)).toEqual(Object.keys(existing.body));
  });
});
