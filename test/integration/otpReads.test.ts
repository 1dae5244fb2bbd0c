import { Secret, TOTP } from 'otpauth';
import { getDeps, overrideDeps } from '../../shared/api/deps';
import type { Clock } from '../../shared/clock';
import { EVENTS_TABLE } from '../../shared/store/tables';
import { outboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// What an OTP request reads and writes, in order: the seed's ciphertext and the step's first handout
// ride in the decision's batch (policy-set version, secret, seed, last code), the step's claim goes
// out beside the audit event (only when nobody had the step's code), and the one Decrypt comes after
// the event is durable. Recorded on the handlers' own client and cipher; nothing is changed.
let vault: TestVault;
let admin: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
}, 120_000);
afterAll(async () => {
  await vault?.stop();
});

const SEED = 'JBSWY3DPEHPK3PXP';
const OTHER_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

async function otpSecret(): Promise<string> {
  const res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path: uniquePath('/reads'), template: 'otp-only', fields: { otpSeed: { setupKey: SEED } } } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

type Step = { what: string; keys: string[]; answered?: boolean };

/** Records the DynamoDB commands (with the sort keys of the secret's items they name) and the Decrypts of `run`. */
async function recorded<T>(secretId: string, run: () => Promise<T>): Promise<{ result: T; steps: Step[]; sentAfter: (step: string) => string[] }> {
  const deps = getDeps();
  const steps: Step[] = [];
  const sentAfterAnswers = new Map<Step, string[]>();
  const ofSecret = (key: unknown) => {
    const { pk, sk } = (key ?? {}) as { pk?: string; sk?: string };
    return pk === `SECRET#${secretId}` ? [String(sk)] : pk === 'POLICIES' ? [`POLICIES ${String(sk)}`] : [];
  };
  const name = 'otpReadsTestRecorder';
  deps.db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; Key?: unknown; RequestItems?: Record<string, { Keys?: unknown[] }> };
      const keys = input.RequestItems ? Object.values(input.RequestItems).flatMap((r) => (r.Keys ?? []).flatMap(ofSecret)) : ofSecret(input.Key);
      const what = `${context.commandName?.replace(/Command$/, '')}${input.TableName === vault.stack.tableName(EVENTS_TABLE) ? ' outbox' : ''}`;
      if (keys.length === 0 && input.TableName !== vault.stack.tableName(EVENTS_TABLE)) return next(args);
      const step: Step = { what, keys: keys.sort() };
      steps.push(step);
      // Which calls were already answered when this one was sent.
      const answeredBefore = steps.filter((s) => s.answered).map((s) => s.what);
      try {
        return await next(args);
      } finally {
        step.answered = true;
        sentAfterAnswers.set(step, answeredBefore);
      }
    },
    { step: 'initialize', name },
  );
  const decrypt = deps.cipher.decrypt;
  deps.cipher.decrypt = async (...args) => {
    steps.push({ what: 'Decrypt', keys: [] });
    return decrypt.apply(deps.cipher, args);
  };
  try {
    const result = await run();
    const sentAfter = (what: string) => sentAfterAnswers.get(steps.find((s) => s.what === what) as Step) ?? [];
    return { result, steps: steps.map(({ what, keys }) => ({ what, keys })), sentAfter };
  } finally {
    deps.db.middlewareStack.remove(name);
    deps.cipher.decrypt = decrypt;
  }
}

describe('POST /v1/secrets/{id}/otp reads', () => {
  it('reads the seed and the last code in the decision\'s batch, claims the step beside the audit write, then decrypts once', async () => {
    // Prepare: the handler is loaded and its deps built on another secret; nobody has had this one's code
    await vault.call('POST', `/v1/secrets/${await otpSecret()}/otp`, { token: admin });
    const secretId = await otpSecret();

    // Act
    const { result, steps, sentAfter } = await recorded(secretId, () => vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: admin }));

    // Assess
    expect(result.status).toBe(200);
    expect(steps).toEqual([
      { what: 'BatchGetItem', keys: ['LASTCODE', 'META', 'POLICIES VERSION', 'SEED'] },
      { what: 'UpdateItem', keys: ['LASTCODE'] },
      { what: 'PutItem outbox', keys: [] },
      { what: 'Decrypt', keys: [] },
    ]);
    // The audit write was sent before the claim was answered: they go out together.
    expect(sentAfter('PutItem outbox')).toEqual(['BatchGetItem']);
  });

  it('writes no claim when the step\'s code was already handed out, and names its first holder in the event', async () => {
    // Prepare: bob had this step's code 5 s ago (the clock stands still inside one step)
    const at = Date.parse('2090-03-01T12:00:05.000Z');
    let now = at;
    const restore = overrideDeps({ clock: { now: () => now, sleep: async (ms) => void (now += ms) } });
    const secretId = await otpSecret();
    const bob = await vault.token('bob', ['admins']);
    const outbox = outboxReader(vault);
    try {
      expect((await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: bob })).status).toBe(200);
      now = at + 5_000;

      // Act
      const { result, steps } = await recorded(secretId, () => vault.call<{ alreadyHandedOut?: { to: string } }>('POST', `/v1/secrets/${secretId}/otp`, { token: admin }));

      // Assess
      expect(result.status).toBe(200);
      expect(result.body.alreadyHandedOut).toEqual({ to: 'user:bob', at: new Date(at).toISOString(), nextCodeAt: '2090-03-01T12:00:30.000Z' });
      expect(steps).toEqual([
        { what: 'BatchGetItem', keys: ['LASTCODE', 'META', 'POLICIES VERSION', 'SEED'] },
        { what: 'PutItem outbox', keys: [] },
        { what: 'Decrypt', keys: [] },
      ]);
      expect(await outbox.onlyEventOf(result)).toMatchObject({ details: { alreadyHandedOutTo: 'user:bob', alreadyHandedOutAt: new Date(at).toISOString() } });
    } finally {
      restore();
      outbox.close();
    }
  });

  it('reads the seed for a caller who is denied, and nothing is claimed, decrypted or answered from it', async () => {
    // Prepare
    const secretId = await otpSecret();
    const stranger = await vault.token('mallory');

    // Act
    const { result, steps } = await recorded(secretId, () => vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: stranger }));

    // Assess
    expect(result.status).toBe(403);
    expect(steps).toEqual([
      { what: 'BatchGetItem', keys: ['LASTCODE', 'META', 'POLICIES VERSION', 'SEED'] },
      { what: 'PutItem outbox', keys: [] },
    ]);
    expect(result.body).toEqual({ error: { code: 'Forbidden', message: expect.any(String) } });
  });

  it('reads the seed again after a wait, and hands out a code of the seed in place then', async () => {
    // Prepare: 2 s left in the step, minValidSeconds 5: the request waits; the seed is replaced meanwhile
    const secretId = await otpSecret();
    let now = Date.parse('2090-03-01T12:00:28.000Z');
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        const put = await vault.call('PUT', `/v1/secrets/${secretId}/otp-seed`, { token: admin, body: { setupKey: OTHER_SEED } });
        expect(put.status).toBe(200);
        now += ms;
      },
    };
    const restore = overrideDeps({ clock });

    // Act
    let answer;
    try {
      answer = await recorded(secretId, () => vault.call<{ code: string }>('POST', `/v1/secrets/${secretId}/otp`, { token: admin, body: { minValidSeconds: 5 } }));
    } finally {
      restore();
    }

    // Assess
    const expected = new TOTP({ secret: Secret.fromBase32(OTHER_SEED) }).generate({ timestamp: Date.parse('2090-03-01T12:00:30.000Z') });
    expect(answer.result.status).toBe(200);
    expect(answer.result.body.code).toBe(expected);
    // Read with the decision, then again with the step's first handout after the wait (one batch each).
    expect(answer.steps.filter((s) => s.keys.includes('SEED'))).toEqual([
      { what: 'BatchGetItem', keys: ['LASTCODE', 'META', 'POLICIES VERSION', 'SEED'] },
      { what: 'BatchGetItem', keys: ['LASTCODE', 'SEED'] },
    ]);
  });
});
