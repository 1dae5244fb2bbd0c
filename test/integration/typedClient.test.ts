import { ApiError, bearerAuth, createClient, type Client } from '../../shared/client/client';
import { openApiDocument } from '../../shared/openapi/document';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

let vault: TestVault;
let admin: Client;

beforeAll(async () => {
  vault = await startTestVault();
  admin = createClient({ baseUrl: vault.url, authenticate: bearerAuth(await vault.token('alice', ['admins'])) });
});
afterAll(async () => vault?.stop());

describe('the typed client against the local stack', () => {
  it('reads the public API description, which is the generated document', async () => {
    // Act
    const anonymous = createClient({ baseUrl: vault.url });
    const served = await anonymous.call('getOpenApi');

    // Assess
    expect(served).toEqual(openApiDocument());
  });

  it('creates a secret, gets its code and a recovery code through typed operations', async () => {
    // Prepare
    const path = uniquePath('/client');

    // Act
    const created = await admin.call('createSecret', {
      body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['rc-a', 'rc-b'] } },
    });
    const otp = await admin.call('generateOtp', { params: { secretId: created.id }, body: { minValidSeconds: 0 } });
    const recovery = await admin.call('revealRecoveryCode', { params: { secretId: created.id } });
    const listed = await admin.call('listSecrets', { query: { path } });

    // Assess
    expect(otp).toMatchObject({ type: 'totp', digits: 6, code: expect.stringMatching(/^\d{6}$/) });
    expect(recovery).toEqual({ code: 'rc-a', remaining: 1 });
    expect(listed.items.map((s) => s.id)).toEqual([created.id]);
  });

  it('turns error answers into ApiError with the vault\'s status and code', async () => {
    // Prepare
    const stranger = createClient({ baseUrl: vault.url, authenticate: bearerAuth(await vault.token('eve', ['nobody'])) });

    // Act
    const missing = await admin.call('getSecret', { params: { secretId: 'sec-doesnotexist' } }).catch((e: unknown) => e);
    const denied = await stranger.call('listPolicies').catch((e: unknown) => e);
    const unauthenticated = await createClient({ baseUrl: vault.url }).call('getMe').catch((e: unknown) => e);

    // Assess
    expect(missing).toMatchObject({ name: 'ApiError', status: 404, code: 'SecretNotFound' });
    expect(denied).toMatchObject({ status: 403, code: 'Forbidden' });
    expect(unauthenticated).toBeInstanceOf(ApiError);
    expect(unauthenticated).toMatchObject({ status: 401, code: 'Unauthenticated' });
  });
});
