import { ApiError, bearerAuth, createClient, type Client } from '../../shared/client/client';
import { openApiDocument } from '../../shared/openapi/document';
import { outboxReader } from '../helpers/outbox';
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

  it('gets the codes of every secret under a prefix in one request, each code audited on its own', async () => {
    // Prepare
    const prefix = `${uniquePath('/batch')}/`;
    const seeds = ['JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQ'];
    const ids: string[] = [];
    for (const [i, setupKey] of seeds.entries()) {
      ids.push((await admin.call('createSecret', { body: { path: `${prefix}s${i}`, template: 'otp-only', fields: { otpSeed: { setupKey } } } })).id);
    }
    const outbox = outboxReader(vault);

    // Act
    const answer = await admin.raw('generateOtps', { body: { prefix } });
    const requestId = answer.headers.get('x-request-id')!;
    const perCode = [...(await outbox.eventsOf(`${requestId}/1`)), ...(await outbox.eventsOf(`${requestId}/2`))];
    const own = await outbox.eventsOf(requestId);
    outbox.close();

    // Assess
    const items = (JSON.parse(answer.text) as { items: { id: string; path: string; otp: { code: string } }[] }).items;
    expect(items.map((item) => [item.id, item.path])).toEqual([[ids[0], `${prefix}s0`], [ids[1], `${prefix}s1`]]);
    for (const item of items) expect(item.otp.code).toMatch(/^\d{6}$/);
    expect(perCode.map((e) => [e.action, e.target.secretId, e.result, e.details.batchRequestId])).toEqual(
      ids.map((id) => ['otp:generate', id, 'allowed', requestId]),
    );
    expect(own).toMatchObject([{ operation: 'generateOtps', result: 'allowed', details: { secrets: 2, generated: 2 } }]);
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
