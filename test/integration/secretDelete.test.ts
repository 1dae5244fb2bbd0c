import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// Denying seed:overwrite must not be undone by deleting the secret and creating it again with
// another seed: deleting needs its own action.
let vault: TestVault;
let admin: string;
let carol: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
  carol = await vault.token('carol');
});
afterAll(async () => {
  await vault?.stop();
});

async function policy(actions: string[], effect: 'allow' | 'deny', resources: string[]): Promise<void> {
  const res = await vault.call('POST', '/v1/policies', {
    token: admin,
    body: { name: `carol ${effect} ${actions.join(' ')} ${resources[0]}`, effect, principals: ['user:carol'], resources, actions },
  });
  expect(res.status).toBe(201);
}

async function otpSecret(path: string): Promise<string> {
  const res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('DELETE /v1/secrets/{id}', () => {
  it('refuses a caller allowed secret:write but denied seed:overwrite (and not allowed secret:delete)', async () => {
    // Prepare
    const root = uniquePath('/delete');
    const id = await otpSecret(`${root}/app`);
    await policy(['secret:write', 'secret:read'], 'allow', [`${root}/**`]);
    await policy(['seed:overwrite'], 'deny', [`${root}/**`]);

    // Act
    const res = await vault.call('DELETE', `/v1/secrets/${id}`, { token: carol });

    // Assess
    expect(res.status).toBe(403);
    expect((await vault.call('GET', `/v1/secrets/${id}`, { token: admin })).status).toBe(200);
  });

  it('lets a caller allowed secret:delete delete it', async () => {
    // Prepare
    const root = uniquePath('/delete');
    const id = await otpSecret(`${root}/app`);
    await policy(['secret:delete'], 'allow', [`${root}/**`]);

    // Act
    const res = await vault.call('DELETE', `/v1/secrets/${id}`, { token: carol });

    // Assess
    expect(res.status).toBe(204);
    expect((await vault.call('GET', `/v1/secrets/${id}`, { token: admin })).status).toBe(404);
  });
});
