import { getDeps, overrideDeps } from '../../shared/api/deps';
import type { AuditOutbox } from '../../shared/audit/AuditOutbox';
import type { Clock } from '../../shared/clock';
import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

// The reuse warning: a TOTP code handed out twice in one step says so; freshCode waits for the next.
// Time comes from an injected clock the test moves (a step starts at every multiple of 30 s).
const STEP_START = Date.parse('2090-05-01T10:00:00.000Z');
let nowMs = STEP_START;
const slept: number[] = [];
const clock: Clock = {
  now: () => nowMs,
  sleep: async (ms) => {
    slept.push(ms);
    nowMs += ms;
  },
};

let vault: TestVault;
let outbox: OutboxReader;
let restoreClock: () => void;
let secretId: string;
const tokens: Record<string, string> = {};

type Otp = { code: string; timeStep: number; serverTime: string; alreadyHandedOut?: { to: string; at: string; nextCodeAt: string } };
const otp = (who: string, body?: unknown) => vault.call<Otp>('POST', `/v1/secrets/${secretId}/otp`, { token: tokens[who], ...(body !== undefined ? { body } : {}) });
const iso = (ms: number) => new Date(ms).toISOString();

const onlyEvent = (res: ApiResponse<unknown>) => outbox.onlyEventOf(res);

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  restoreClock = overrideDeps({ clock });
  for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) tokens[user] = await vault.token(user, ['admins']);
  const created = await vault.call('POST', '/v1/secrets', {
    token: tokens.alice,
    body: { path: uniquePath('/reuse'), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } },
  });
  secretId = created.body.id as string;
}, 120_000);

afterAll(async () => {
  restoreClock?.();
  outbox?.close();
  await vault?.stop();
});

describe('a second caller within one step', () => {
  it('is told the code was already handed out, to whom, when, and when the next starts', async () => {
    // Prepare
    nowMs = STEP_START + 2_000;
    const first = await otp('alice');
    nowMs = STEP_START + 7_000;
    // Act
    const second = await otp('bob');
    const againFirst = await otp('alice');
    // Assess
    expect(first.status).toBe(200);
    expect(first.body.alreadyHandedOut).toBeUndefined();
    expect(second.status).toBe(200);
    expect(second.body.code).toBe(first.body.code);
    expect(second.body.alreadyHandedOut).toEqual({ to: 'user:alice', at: iso(STEP_START + 2_000), nextCodeAt: iso(STEP_START + 30_000) });
    expect(await onlyEvent(second)).toMatchObject({ reason: 'otp generated', details: { alreadyHandedOutTo: 'user:alice', alreadyHandedOutAt: iso(STEP_START + 2_000) } });
    // The first caller asking again is not warned about itself.
    expect(againFirst.body.alreadyHandedOut).toBeUndefined();
  });

  it('gets the next step\'s code with freshCode: true, waiting on the clock', async () => {
    // Prepare: alice had this step's code (first test); 20 s are left in it
    nowMs = STEP_START + 10_000;
    slept.length = 0;
    // Act
    const res = await otp('carol', { freshCode: true });
    // Assess
    expect(res.status).toBe(200);
    expect(slept).toEqual([20_000]);
    expect(res.body.serverTime).toBe(iso(STEP_START + 30_000));
    expect(res.body.timeStep).toBe((STEP_START + 30_000) / 30_000);
    expect(res.body.alreadyHandedOut).toBeUndefined();
    expect(await onlyEvent(res)).toMatchObject({ details: { waitedMs: 20_000, timeStep: (STEP_START + 30_000) / 30_000 } });
  });

  it('refuses freshCode with 409 when the next step is more than 25 s away', async () => {
    // Prepare: carol had the step that began at +30 s; at +31 s the next one is 29 s away
    nowMs = STEP_START + 31_000;
    slept.length = 0;
    // Act
    const res = await otp('bob', { freshCode: true });
    // Assess
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'FreshCodeUnavailable', message: expect.stringContaining(iso(STEP_START + 60_000)) } });
    expect(slept).toEqual([]);
    expect(await onlyEvent(res)).toMatchObject({ result: 'error', status: 409 });
  });

  it('warns exactly one of two callers asking at the same moment of a new step', async () => {
    // Prepare
    nowMs = STEP_START + 95_000;
    // Act
    const [d, e] = await Promise.all([otp('dave'), otp('erin')]);
    // Assess
    expect([d.status, e.status]).toEqual([200, 200]);
    const warned = [d, e].filter((r) => r.body.alreadyHandedOut !== undefined);
    expect(warned).toHaveLength(1);
    const other = warned[0] === d ? 'user:erin' : 'user:dave';
    expect(warned[0]?.body.alreadyHandedOut?.to).toBe(other);
  });

  it('does not warn the next caller about a code whose audit write failed, though its claim went out beside it', async () => {
    // Prepare: a new step; the outbox refuses frank's event
    nowMs = STEP_START + 120_000;
    const failing: AuditOutbox = {
      write: async () => {
        throw new Error('injected: audit outbox unavailable');
      },
      transactItem: () => {
        throw new Error('injected: audit outbox unavailable');
      },
    };
    const restore = overrideDeps({ outbox: failing });
    let refused: ApiResponse<Otp>;
    try {
      refused = await otp('frank');
    } finally {
      restore();
    }
    // Act
    const next = await otp('alice');
    // Assess
    expect(refused.status).toBe(503);
    expect(next.status).toBe(200);
    expect(next.body.alreadyHandedOut).toBeUndefined();
  });

  it('hands out the audited code when the claim itself fails; only the next caller\'s warning is lost', async () => {
    // Prepare: a new step; the claim's write fails
    nowMs = STEP_START + 150_000;
    const db = getDeps().db;
    const name = 'reuseWarningClaimFault';
    db.middlewareStack.add(
      (next) => async (args) => {
        const key = (args.input as { Key?: { sk?: string } }).Key;
        if (key?.sk === 'LASTCODE') throw new Error('injected: claim write failed');
        return next(args);
      },
      { step: 'initialize', name },
    );
    let res: ApiResponse<Otp>;
    try {
      // Act
      res = await otp('bob');
    } finally {
      db.middlewareStack.remove(name);
    }
    // Assess
    expect(res.status).toBe(200);
    expect(await onlyEvent(res)).toMatchObject({ reason: 'otp generated', result: 'allowed', details: { timeStep: (STEP_START + 150_000) / 30_000 } });
    expect((await otp('carol')).body.alreadyHandedOut).toBeUndefined();
  });
});
