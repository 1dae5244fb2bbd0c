import { overrideDeps } from '../../shared/api/deps';
import type { Clock } from '../../shared/clock';
import type { OtpAlgorithm } from '../../shared/otp';
import { oathtoolHotp, oathtoolTotp } from '../helpers/oathtool';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// Drives the real handlers through the local runner (DynamoDB Local + KMS emulator).
let vault: TestVault;
let admin: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  await vault?.stop();
});

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** The code oathtool (not the otpauth library the vault uses) gives at `atIso`. */
const expectedTotp = (secret: string, atIso: string, opts: Partial<{ algorithm: OtpAlgorithm; digits: number; period: number }> = {}) =>
  oathtoolTotp(secret, Date.parse(atIso), opts);

/** A clock at `start` whose sleeps are recorded and move it by `advance(ms)` (by default exactly `ms`). */
function fakeClock(start: number, advance: (ms: number) => number = (ms) => ms): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += advance(ms);
    },
  };
}

/** Runs `act` with the handlers on `clock`. */
async function withClock<T>(clock: Clock, act: () => Promise<T>): Promise<T> {
  const restore = overrideDeps({ clock });
  try {
    return await act();
  } finally {
    restore();
  }
}

async function createWebApp(path: string, otpSeed: unknown, extra: Record<string, unknown> = {}) {
  return vault.call('POST', '/v1/secrets', {
    token: admin,
    body: {
      path,
      template: 'webapp-otp',
      fields: { url: 'https://console.aws.amazon.com', username: 'root@example.com', password: 'hunter2-Pa55', otpSeed, ...extra },
    },
  });
}

describe('a secret built from the webapp-otp template', () => {
  it('is created from an otpauth URI and shows the seed only as parameters', async () => {
    // Prepare
    const path = uniquePath('/aws/prod');
    // Act
    const created = await createWebApp(path, { uri: `otpauth://totp/AWS:root@example.com?secret=${SEED}&issuer=AWS` }, { recoveryCodes: ['rc-1111', 'rc-2222'] });
    const read = await vault.call('GET', `/v1/secrets/${created.body.id as string}`, { token: admin });
    // Assess
    expect(created.status).toBe(201);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      path,
      template: 'webapp-otp',
      fields: {
        url: 'https://console.aws.amazon.com',
        username: 'root@example.com',
        password: { sensitive: true, set: true },
        otpSeed: { set: true, type: 'totp', issuer: 'AWS', account: 'root@example.com', algorithm: 'SHA1', digits: 6, period: 30 },
        recoveryCodes: { set: true, total: 2, remaining: 2 },
      },
    });
    expect(read.text).not.toContain(SEED);
    expect(read.text).not.toContain('hunter2');
    expect(read.text).not.toContain('rc-1111');
  });

  it('generates the current TOTP code with its validity window', async () => {
    // Prepare
    const created = await createWebApp(uniquePath(), { setupKey: 'jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp', algorithm: 'SHA256', digits: 8, period: 60 });
    // Act
    const res = await vault.call('POST', `/v1/secrets/${created.body.id as string}/otp`, { token: admin });
    // Assess
    expect(res.status).toBe(200);
    const body = res.body as Record<string, string & number>;
    expect(body).toMatchObject({ type: 'totp', digits: 8, period: 60, algorithm: 'SHA256' });
    expect(body.code).toBe(expectedTotp(SEED, body.serverTime, { algorithm: 'SHA256', digits: 8, period: 60 }));
    expect(body.timeStep).toBe(Math.floor(Date.parse(body.serverTime) / 60000));
    expect(Date.parse(body.validUntil) - Date.parse(body.validFrom)).toBe(60000);
    expect(body.secondsRemaining).toBeGreaterThan(0);
    expect(body.secondsRemaining).toBeLessThanOrEqual(60);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['a clock that sleeps exactly as long as asked', (ms: number) => ms],
    ['a clock whose sleep returns 1.5 s early', (ms: number) => ms - 1500],
  ])('waits for the next step when fewer than minValidSeconds remain (%s)', async (_name, advance) => {
    // Prepare: 7 s left in the step of 2026-11-30T12:00:00Z (30 s steps), 20 s asked for.
    const created = await createWebApp(uniquePath(), { setupKey: SEED });
    const nextStep = Date.parse('2026-11-30T12:00:00.000Z');
    const clock = fakeClock(nextStep - 7000, advance);
    // Act
    const res = await withClock(clock, () => vault.call('POST', `/v1/secrets/${created.body.id as string}/otp`, { token: admin, body: { minValidSeconds: 20 } }));
    // Assess: the next step's code, never handed out before that step has begun.
    const body = res.body as Record<string, string & number>;
    expect(res.status).toBe(200);
    expect(clock.sleeps).toEqual([7000]);
    expect(body).toMatchObject({ timeStep: nextStep / 30_000, validFrom: '2026-11-30T12:00:00.000Z', validUntil: '2026-11-30T12:00:30.000Z', secondsRemaining: 30 });
    expect(Date.parse(body.serverTime)).toBeGreaterThanOrEqual(Date.parse(body.validFrom));
    expect(body.code).toBe(expectedTotp(SEED, '2026-11-30T12:00:00.000Z'));
    expect(body.code).not.toBe(expectedTotp(SEED, '2026-11-30T11:59:53.000Z'));
  });

  it('does not wait when as much time as asked for remains', async () => {
    // Prepare: 21 s left, 20 s asked for.
    const created = await createWebApp(uniquePath(), { setupKey: SEED });
    const clock = fakeClock(Date.parse('2026-11-30T11:59:39.000Z'));
    // Act
    const res = await withClock(clock, () => vault.call('POST', `/v1/secrets/${created.body.id as string}/otp`, { token: admin, body: { minValidSeconds: 20 } }));
    // Assess
    expect(clock.sleeps).toEqual([]);
    expect(res.body).toMatchObject({ validFrom: '2026-11-30T11:59:30.000Z', secondsRemaining: 21, code: expectedTotp(SEED, '2026-11-30T11:59:39.000Z') });
  });

  it('rejects minValidSeconds not below the period', async () => {
    // Prepare
    const created = await createWebApp(uniquePath(), { setupKey: SEED });
    // Act
    const ok = await vault.call('POST', `/v1/secrets/${created.body.id as string}/otp`, { token: admin, body: { minValidSeconds: 0 } });
    const overLimit = await vault.call('POST', `/v1/secrets/${created.body.id as string}/otp`, { token: admin, body: { minValidSeconds: 26 } });
    // Assess
    expect(ok.status).toBe(200);
    expect(overLimit.status).toBe(400);
    expect(overLimit.text).toContain('at most 25');
    const short = await createWebApp(uniquePath(), { setupKey: SEED, period: 10 });
    const tooLong = await vault.call('POST', `/v1/secrets/${short.body.id as string}/otp`, { token: admin, body: { minValidSeconds: 10 } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('less than the period');
  });

  it('overwrites the seed, after which codes follow the new seed', async () => {
    // Prepare
    const created = await createWebApp(uniquePath(), { setupKey: SEED });
    const id = created.body.id as string;
    const other = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    // Act
    const put = await vault.call('PUT', `/v1/secrets/${id}/otp-seed`, { token: admin, body: { uri: `otpauth://totp/Vendor:ops?secret=${other}&issuer=Vendor&digits=8` } });
    const code = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin });
    // Assess
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ fields: { otpSeed: { set: true, issuer: 'Vendor', digits: 8 } } });
    expect(put.text).not.toContain(other);
    const body = code.body as Record<string, string>;
    expect(body.code).toBe(expectedTotp(other, body.serverTime, { digits: 8 }));
  });

  it('rejects a seed whose verifyCode does not match, and keeps the old one', async () => {
    // Prepare
    const created = await createWebApp(uniquePath(), { setupKey: SEED });
    const id = created.body.id as string;
    const now = '2026-11-30T23:59:45.000Z';
    const wrongAlgorithmCode = expectedTotp(SEED, now, { algorithm: 'SHA256' });
    // Act
    const put = await withClock(fakeClock(Date.parse(now)), () =>
      vault.call('PUT', `/v1/secrets/${id}/otp-seed`, { token: admin, body: { setupKey: SEED, verifyCode: wrongAlgorithmCode } }),
    );
    const read = await vault.call('GET', `/v1/secrets/${id}`, { token: admin });
    // Assess
    expect(put.status).toBe(400);
    expect(put.text).toMatch(/does not match/i);
    expect(put.text).not.toContain(wrongAlgorithmCode);
    expect((read.body as { fields: { otpSeed: { updatedAt: string } } }).fields.otpSeed.updatedAt).toBe(
      (created.body as { fields: { otpSeed: { updatedAt: string } } }).fields.otpSeed.updatedAt,
    );
  });

  it('accepts a seed whose verifyCode matches the device', async () => {
    // Prepare
    const now = '2026-11-30T23:59:45.000Z';
    const code = expectedTotp(SEED, now);
    // Act
    const created = await withClock(fakeClock(Date.parse(now)), () => createWebApp(uniquePath(), { setupKey: SEED, verifyCode: code }));
    // Assess
    expect(created.status).toBe(201);
  });

  it('hands out HOTP codes in counter order', async () => {
    // Prepare
    const created = await createWebApp(uniquePath(), { uri: `otpauth://hotp/Bank:ops?secret=${SEED}&issuer=Bank&counter=5` });
    const id = created.body.id as string;
    // Act
    const first = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin });
    const second = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin });
    // Assess
    const [five, six] = oathtoolHotp(SEED, 5, 2);
    expect(first.body).toMatchObject({ type: 'hotp', counter: 5, code: five });
    expect(second.body).toMatchObject({ type: 'hotp', counter: 6, code: six });
  });

  it('lists secrets by prefix and by exact path, with a cursor', async () => {
    // Prepare
    const base = uniquePath('/list');
    for (const name of ['a', 'b', 'c']) await createWebApp(`${base}/${name}`, { setupKey: SEED });
    // Act
    const page1 = await vault.call<{ items: { path: string }[]; nextCursor?: string }>('GET', `/v1/secrets?prefix=${encodeURIComponent(base + '/')}&limit=2`, { token: admin });
    const page2 = await vault.call<{ items: { path: string }[]; nextCursor?: string }>('GET', `/v1/secrets?prefix=${encodeURIComponent(base + '/')}&limit=2&cursor=${page1.body.nextCursor}`, { token: admin });
    const exact = await vault.call<{ items: { path: string }[] }>('GET', `/v1/secrets?path=${encodeURIComponent(base + '/b')}`, { token: admin });
    // Assess
    expect(page1.body.items.map((s) => s.path)).toEqual([`${base}/a`, `${base}/b`]);
    expect(page2.body.items.map((s) => s.path)).toEqual([`${base}/c`]);
    expect(exact.body.items.map((s) => s.path)).toEqual([`${base}/b`]);
  });

  it('refuses a second secret at the same path with 409', async () => {
    // Prepare
    const path = uniquePath();
    await createWebApp(path, { setupKey: SEED });
    // Act
    const again = await createWebApp(path, { setupKey: SEED });
    // Assess
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'PathTaken' } });
  });

  it('deletes a secret, its path becoming free again', async () => {
    // Prepare
    const path = uniquePath();
    const created = await createWebApp(path, { setupKey: SEED });
    const id = created.body.id as string;
    // Act
    const del = await vault.call('DELETE', `/v1/secrets/${id}`, { token: admin });
    const read = await vault.call('GET', `/v1/secrets/${id}`, { token: admin });
    const recreate = await createWebApp(path, { setupKey: SEED });
    // Assess
    expect(del.status).toBe(204);
    expect(read.status).toBe(404);
    expect(recreate.status).toBe(201);
  });
});

describe('recovery codes', () => {
  it('are replaced as a set and revealed one at a time until none remain', async () => {
    // Prepare
    const created = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath('/rc'), template: 'recovery-codes', fields: { account: 'github:ops', recoveryCodes: ['old-1'] } },
    });
    const id = created.body.id as string;
    // Act
    const put = await vault.call('PUT', `/v1/secrets/${id}/recovery-codes`, { token: admin, body: { codes: ['new-1', 'new-2'] } });
    const r1 = await vault.call('POST', `/v1/secrets/${id}/recovery-codes/reveal`, { token: admin });
    const r2 = await vault.call('POST', `/v1/secrets/${id}/recovery-codes/reveal`, { token: admin });
    const r3 = await vault.call('POST', `/v1/secrets/${id}/recovery-codes/reveal`, { token: admin });
    // Assess
    expect(put.status).toBe(200);
    expect(put.text).not.toContain('new-1');
    expect([r1.body.code, r2.body.code].sort()).toEqual(['new-1', 'new-2']);
    expect(r2.body.remaining).toBe(0);
    expect(r3.status).toBe(409);
    expect(r3.body).toMatchObject({ error: { code: 'RecoveryCodesExhausted' } });
  });

  it('give 50 concurrent reveals of a set of 10 exactly 10 distinct codes and 40 clear 409s', async () => {
    // Prepare
    const codes = Array.from({ length: 10 }, (_, i) => `code-${i}-${Math.random().toString(36).slice(2, 8)}`);
    const created = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath('/rc'), template: 'recovery-codes', fields: { account: 'bank', recoveryCodes: codes } },
    });
    const id = created.body.id as string;
    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => vault.call('POST', `/v1/secrets/${id}/recovery-codes/reveal`, { token: admin })));
    // Assess
    const ok = results.filter((r) => r.status === 200).map((r) => r.body.code as string);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(10);
    expect(new Set(ok)).toEqual(new Set(codes));
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r.body).toMatchObject({ error: { code: 'RecoveryCodesExhausted' } });
  });

  it('never give two concurrent HOTP callers the same counter', async () => {
    // Prepare
    const created = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath('/hotp'), template: 'otp-only', fields: { otpSeed: { uri: `otpauth://hotp/X:y?secret=${SEED}&counter=0` } } },
    });
    const id = created.body.id as string;
    // Act
    const results = await Promise.all(Array.from({ length: 12 }, () => vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin })));
    // Assess
    const counters = results.map((r) => r.body.counter as number).sort((a, b) => a - b);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(counters).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const codes = oathtoolHotp(SEED, 0, 12);
    for (const r of results) expect(r.body.code).toBe(codes[r.body.counter as number]);
  });
});
