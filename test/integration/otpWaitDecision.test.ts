import { overrideDeps } from '../../shared/api/deps';
import type { Clock } from '../../shared/clock';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// A minValidSeconds wait can last most of a period: a grant revoked meanwhile must hold.
let vault: TestVault;
let admin: string;
let bob: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
  bob = await vault.token('bob');
});
afterAll(async () => {
  await vault?.stop();
});

/** A clock 2 s before the end of a 30 s step whose sleep runs `during` instead of waiting. */
function clockThatRuns(during: () => Promise<void>): Clock {
  let now = Date.parse('2026-11-27T12:00:28.000Z');
  return {
    now: () => now,
    sleep: async (ms) => {
      await during();
      now += ms;
    },
  };
}

async function bobMayGenerate(path: string): Promise<string> {
  const res = await vault.call('POST', '/v1/policies', {
    token: admin,
    body: { name: `bob otp ${path}`, effect: 'allow', principals: ['user:bob'], resources: [path], actions: ['otp:generate'] },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function otpSecret(path: string): Promise<string> {
  const res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('POST /v1/secrets/{id}/otp with minValidSeconds', () => {
  it('refuses the code when the grant is revoked during the wait', async () => {
    // Prepare
    const path = uniquePath('/wait');
    const id = await otpSecret(path);
    const policyId = await bobMayGenerate(path);
    const restore = overrideDeps({
      clock: clockThatRuns(async () => {
        const deleted = await vault.call('DELETE', `/v1/policies/${policyId}?version=1`, { token: admin });
        expect(deleted.status).toBe(204);
      }),
    });
    let res;
    try {
      // Act
      res = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: bob, body: { minValidSeconds: 10 } });
    } finally {
      restore();
    }

    // Assess
    expect(res.status).toBe(403);
    expect(res.text).not.toMatch(/"code":"\d{6}"/);
  });

  it('still answers after the wait when the grant holds', async () => {
    // Prepare
    const path = uniquePath('/wait');
    const id = await otpSecret(path);
    await bobMayGenerate(path);
    const restore = overrideDeps({ clock: clockThatRuns(async () => undefined) });
    let res;
    try {
      // Act
      res = await vault.call<{ code: string }>('POST', `/v1/secrets/${id}/otp`, { token: bob, body: { minValidSeconds: 10 } });
    } finally {
      restore();
    }

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.code).toMatch(/^\d{6}$/);
  });
});
