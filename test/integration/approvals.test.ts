import { overrideDeps } from '../../shared/api/deps';
import type { Clock } from '../../shared/clock';
import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

// Just-in-time access through the local runner: approval policies, access requests, grants.
// Time comes from an injected clock that only the test moves (never the wall clock).
const START = Date.parse('2090-03-01T09:00:00.000Z');
const MINUTE = 60_000;
let nowMs = START;
const clock: Clock = {
  now: () => nowMs,
  sleep: async (ms) => {
    nowMs += ms;
  },
};

let vault: TestVault;
let outbox: OutboxReader;
let restoreClock: () => void;
const tokens: Record<string, string> = {};
let prefix: string;
let twoPrefix: string;
let secretId: string;
let twoSecretId: string;

type Req = { id: string; status: string; approvals: unknown[]; grantUntil?: string; approvers: string[]; minApprovals: number };

/** Every answer of an access-request or OTP step, to find each one in the audit log at the end. */
const steps: ApiResponse<unknown>[] = [];
async function call<T = Record<string, unknown>>(who: string, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
  const res = await vault.call<T>(method, path, { token: tokens[who], ...(body !== undefined ? { body } : {}) });
  if (/\/access-requests|\/otp$/.test(path)) steps.push(res as ApiResponse<unknown>);
  return res;
}
const requestAccess = (who: string, id: string, extra: Record<string, unknown> = {}) =>
  call<Req>(who, 'POST', '/v1/access-requests', { secretId: id, actions: ['otp:generate'], justification: 'incident 42', ...extra });
const decide = (who: string, id: string, verb: 'approve' | 'deny', comment?: string) =>
  call<Req>(who, 'POST', `/v1/access-requests/${id}/${verb}`, comment !== undefined ? { comment } : undefined);
const otp = (who: string, id = secretId) => call(who, 'POST', `/v1/secrets/${id}/otp`);
const errorCode = (res: ApiResponse) => (res.body.error as { code?: string } | undefined)?.code;

const onlyEvent = (res: ApiResponse<unknown>) => outbox.onlyEventOf(res);

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  restoreClock = overrideDeps({ clock });
  tokens.admin = await vault.token('alice', ['admins']);
  tokens.bob = await vault.token('bob', ['oncall']);
  tokens.carol = await vault.token('carol');
  tokens.dave = await vault.token('dave', ['security']);
  tokens.eve = await vault.token('eve', ['oncall']);
  prefix = uniquePath('/jit');
  twoPrefix = uniquePath('/jit2');
  const secret = (path: string) =>
    call('admin', 'POST', '/v1/secrets', { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } });
  secretId = (await secret(`${prefix}/root`)).body.id as string;
  twoSecretId = (await secret(`${twoPrefix}/root`)).body.id as string;
  const policy = (name: string, resources: string[], approval: Record<string, unknown>) =>
    call('admin', 'POST', '/v1/policies', { name, effect: 'allow', principals: ['group:oncall'], resources, actions: ['otp:generate', 'recovery:reveal'], approval });
  expect((await policy('root needs approval', [`${prefix}/**`], { approvers: ['group:security', 'user:carol'], minApprovals: 1, grantMinutes: 60, justificationRequired: true })).status).toBe(201);
  expect((await policy('two approvers', [`${twoPrefix}/**`], { approvers: ['group:security', 'user:carol'], minApprovals: 2, grantMinutes: 30 })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  restoreClock?.();
  outbox?.close();
  await vault?.stop();
});

describe('approval blocks in policies', () => {
  it.each([
    ['on a deny', { effect: 'deny', approval: { approvers: ['user:carol'] } }, 'approval belongs to allow policies'],
    ['without approvers', { approval: { approvers: [] } }, 'list at least one approver'],
    ['with minApprovals 0', { approval: { approvers: ['user:carol'], minApprovals: 0 } }, 'minApprovals is at least 1'],
    ['with a malformed approver', { approval: { approvers: ['carol'] } }, 'approval.approvers'],
    ['on a global action', { resources: ['*'], actions: ['audit:read'], approval: { approvers: ['user:carol'] } }, 'secret actions only'],
  ])('refuses one %s with 400 naming the problem', async (_case, change, message) => {
    // Act
    const res = await call('admin', 'POST', '/v1/policies', { name: 'bad', effect: 'allow', principals: ['user:x'], resources: ['/x/**'], actions: ['otp:generate'], ...change });
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(message);
  });
});

describe('before any grant', () => {
  it('refuses the OTP with ApprovalRequired and audits the denial once', async () => {
    // Act
    const res = await otp('bob');
    // Assess
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('ApprovalRequired');
    expect(await onlyEvent(res)).toMatchObject({ result: 'denied', action: 'otp:generate', target: { secretId } });
  });

  it('lists the secret under /v1/me/secrets as needing approval', async () => {
    // Act
    const res = await call<{ items: { id: string; actions: string[]; needsApproval?: string[] }[] }>('bob', 'GET', `/v1/me/secrets?prefix=${prefix}`);
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ id: secretId, path: `${prefix}/root`, actions: [], needsApproval: ['otp:generate', 'recovery:reveal'] }]);
  });

  it('says "needs approval" in a simulation, with what it takes', async () => {
    // Act
    const res = await call('admin', 'POST', '/v1/policies/simulate', { principal: 'user:bob', groups: ['oncall'], action: 'otp:generate', path: `${prefix}/root` });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allowed: false, reason: expect.stringContaining('needs approval'), needsApproval: { approvers: ['group:security', 'user:carol'], minApprovals: 1, grantMinutes: 60, justificationRequired: true } });
  });

  it('refuses a request without the justification the policy requires', async () => {
    // Act
    const res = await requestAccess('bob', secretId, { justification: '' });
    // Assess
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('JustificationRequired');
  });

  it('refuses a request nobody may make with the same answer as for a missing secret', async () => {
    // Act
    const notNamed = await requestAccess('carol', secretId);
    const missing = await requestAccess('bob', 'no-such-secret-1');
    // Assess
    expect([notNamed.status, missing.status]).toEqual([403, 403]);
    expect([errorCode(notNamed), errorCode(missing)]).toEqual(['NotRequestable', 'NotRequestable']);
  });
});

describe('the whole lifecycle: request, approve, use, expire', () => {
  it('grants the OTP until the grant ends, then never again', async () => {
    // Prepare
    nowMs = START;
    const created = await requestAccess('bob', secretId, { minutes: 90 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', minutes: 60, approvers: ['group:security', 'user:carol'], minApprovals: 1 });
    expect(await onlyEvent(created)).toMatchObject({ operation: 'createAccessRequest', result: 'allowed', reason: 'access requested', details: { accessRequestId: created.body.id } });
    const id = created.body.id;

    // Act: the inbox, a self-approval, an approver not named, then a named one
    const inbox = await call<{ items: Req[] }>('dave', 'GET', '/v1/access-requests?toApprove=true');
    const self = await decide('bob', id, 'approve');
    const stranger = await decide('eve', id, 'approve');
    nowMs = START + 5 * MINUTE;
    const approved = await decide('dave', id, 'approve', 'go ahead');
    const used = await otp('bob');
    const mine = await call<{ items: { id: string; granted?: unknown[] }[] }>('bob', 'GET', `/v1/me/secrets?prefix=${prefix}`);

    // Assess
    expect(inbox.body.items.map((r) => r.id)).toContain(id);
    expect([self.status, errorCode(self)]).toEqual([403, 'SelfApprovalRefused']);
    expect([stranger.status, errorCode(stranger)]).toEqual([403, 'NotAnApprover']);
    expect(approved.status).toBe(200);
    const until = new Date(START + 65 * MINUTE).toISOString();
    expect(approved.body).toMatchObject({ status: 'approved', grantUntil: until });
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({ code: expect.stringMatching(/^\d{6}$/), grant: { requestId: id, until } });
    expect(mine.body.items).toEqual([expect.objectContaining({ id: secretId, needsApproval: ['otp:generate', 'recovery:reveal'], granted: [{ action: 'otp:generate', requestId: id, until }] })]);
    expect(await onlyEvent(self)).toMatchObject({ result: 'denied', status: 403 });
    expect(await onlyEvent(stranger)).toMatchObject({ result: 'denied', status: 403 });
    expect(await onlyEvent(approved)).toMatchObject({ result: 'allowed', reason: 'access request approved', details: { accessRequestId: id, grantUntil: until } });
    expect(await onlyEvent(used)).toMatchObject({ result: 'allowed', reason: 'otp generated', details: { grant: id, grantUntil: until } });
    // Other people in the same group hold no grant.
    expect(errorCode(await otp('eve'))).toBe('ApprovalRequired');
    // The grant covers what was asked for only.
    expect((await call('bob', 'POST', `/v1/secrets/${secretId}/recovery-codes/reveal`)).status).toBe(403);

    // Act: time passes the end of the grant (TTL has not removed anything yet)
    nowMs = START + 65 * MINUTE;
    const late = await otp('bob');
    const status = await call<Req>('bob', 'GET', `/v1/access-requests/${id}`);
    const approveLate = await decide('carol', id, 'approve');

    // Assess
    expect([late.status, errorCode(late)]).toEqual([403, 'ApprovalRequired']);
    expect((await call<{ items: { granted?: unknown[] }[] }>('bob', 'GET', `/v1/me/secrets?prefix=${prefix}`)).body.items[0]?.granted).toBeUndefined();
    expect(status.body.status).toBe('expired');
    expect([approveLate.status, errorCode(approveLate)]).toEqual([409, 'RequestNotPending']);
  });

  it('lets a pending request expire after a day: approving it then is a 409', async () => {
    // Prepare
    nowMs = START + 2 * 60 * MINUTE;
    const created = await requestAccess('bob', secretId);
    nowMs += 24 * 60 * MINUTE;
    // Act
    const res = await decide('carol', created.body.id, 'approve');
    const mine = await call<{ items: Req[] }>('bob', 'GET', '/v1/access-requests?mine=true&status=expired');
    // Assess
    expect([res.status, errorCode(res)]).toEqual([409, 'RequestNotPending']);
    expect(mine.body.items.map((r) => r.id)).toContain(created.body.id);
  });
});

describe('withdrawal and denial', () => {
  it('refuses to approve a withdrawn request with 409', async () => {
    // Prepare
    nowMs = START + 3 * 24 * 60 * MINUTE;
    const created = await requestAccess('bob', secretId);
    const withdrawn = await call<Req>('bob', 'DELETE', `/v1/access-requests/${created.body.id}`);
    // Act
    const res = await decide('carol', created.body.id, 'approve');
    // Assess
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(await onlyEvent(withdrawn)).toMatchObject({ result: 'allowed', reason: 'access request withdrawn' });
    expect([res.status, errorCode(res)]).toEqual([409, 'RequestNotPending']);
  });

  it('ends a grant early when its requester withdraws it', async () => {
    // Prepare
    const created = await requestAccess('bob', secretId);
    await decide('carol', created.body.id, 'approve');
    expect((await otp('bob')).status).toBe(200);
    // Act
    await call('bob', 'DELETE', `/v1/access-requests/${created.body.id}`);
    // Assess
    expect(errorCode(await otp('bob'))).toBe('ApprovalRequired');
  });

  it('withdraws an older grant without touching the newer one that replaced it', async () => {
    // Prepare: two approved requests for the same action; the second one's grant is in force
    const older = await requestAccess('bob', secretId);
    await decide('carol', older.body.id, 'approve');
    const newer = await requestAccess('bob', secretId);
    await decide('carol', newer.body.id, 'approve');
    // Act
    const withdrawn = await call<Req>('bob', 'DELETE', `/v1/access-requests/${older.body.id}`);
    const used = await otp('bob');
    // Assess
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(used.body).toMatchObject({ grant: { requestId: newer.body.id } });
    await call('bob', 'DELETE', `/v1/access-requests/${newer.body.id}`);
    expect(errorCode(await otp('bob'))).toBe('ApprovalRequired');
  });

  it('lets only the requester withdraw', async () => {
    // Prepare
    const created = await requestAccess('bob', secretId);
    // Act
    const res = await call('carol', 'DELETE', `/v1/access-requests/${created.body.id}`);
    // Assess
    expect([res.status, errorCode(res)]).toEqual([403, 'NotYourRequest']);
    await call('bob', 'DELETE', `/v1/access-requests/${created.body.id}`);
  });

  it('resolves an approve and a deny sent at once to exactly one outcome', async () => {
    for (let round = 0; round < 4; round++) {
      // Prepare
      const created = await requestAccess('bob', secretId);
      // Act
      const [approve, deny] = await Promise.all([decide('carol', created.body.id, 'approve'), decide('dave', created.body.id, 'deny', 'no')]);
      // Assess
      const statuses = [approve.status, deny.status].sort();
      expect(statuses).toEqual([200, 409]);
      const winner = approve.status === 200 ? 'approved' : 'denied';
      const final = await call<Req>('bob', 'GET', `/v1/access-requests/${created.body.id}`);
      expect(final.body.status).toBe(winner);
      const loser = approve.status === 200 ? deny : approve;
      expect(errorCode(loser)).toMatch(/RequestNotPending|ConcurrentDecision/);
      expect(await onlyEvent(approve)).toMatchObject({ status: approve.status });
      expect(await onlyEvent(deny)).toMatchObject({ status: deny.status });
      if (winner === 'approved') await call('bob', 'DELETE', `/v1/access-requests/${created.body.id}`);
    }
  });
});

describe('an approval policy changed after the request', () => {
  it('no longer lets the approvers it dropped decide', async () => {
    // Prepare
    nowMs = START + 4 * 24 * 60 * MINUTE;
    const path = uniquePath('/jit3');
    const created = await call('admin', 'POST', '/v1/secrets', { path: `${path}/root`, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } });
    const doc = (approvers: string[]) => ({ name: 'changing', effect: 'allow', principals: ['group:oncall'], resources: [`${path}/**`], actions: ['otp:generate'], approval: { approvers } });
    const policy = await call('admin', 'POST', '/v1/policies', doc(['user:carol']));
    const request = await requestAccess('bob', created.body.id as string);
    expect(request.body.approvers).toEqual(['user:carol']);
    expect((await call('admin', 'PUT', `/v1/policies/${policy.body.id as string}`, doc(['group:security']))).status).toBe(200);
    // Act
    const res = await decide('carol', request.body.id, 'approve');
    // Assess
    expect([res.status, errorCode(res)]).toEqual([403, 'NotAnApprover']);
    expect(JSON.stringify(res.body)).toContain('no longer names you');
  });
});

describe('minApprovals 2', () => {
  it('needs two different approvers before the grant starts', async () => {
    // Prepare
    nowMs = START + 5 * 24 * 60 * MINUTE;
    const created = await requestAccess('bob', twoSecretId, { justification: '' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    // Act
    const first = await decide('carol', id, 'approve');
    const again = await decide('carol', id, 'approve');
    const before = await otp('bob', twoSecretId);
    const second = await decide('dave', id, 'approve');
    const after = await otp('bob', twoSecretId);
    // Assess
    expect(first.body).toMatchObject({ status: 'pending', approvals: [expect.objectContaining({ by: 'user:carol' })] });
    expect(await onlyEvent(first)).toMatchObject({ reason: 'access request approval recorded', details: { approvals: 1, minApprovals: 2 } });
    expect([again.status, errorCode(again)]).toEqual([409, 'AlreadyApproved']);
    expect(errorCode(before)).toBe('ApprovalRequired');
    expect(second.body).toMatchObject({ status: 'approved', grantUntil: new Date(nowMs + 30 * MINUTE).toISOString() });
    expect(after.status).toBe(200);
  });
});

describe('the audit log', () => {
  it('holds every step of this file exactly once, once the stream consumer has caught up', async () => {
    // Prepare
    await vault.stack.audit.flush();
    const requestIds: string[] = [];
    for (const id of [secretId, twoSecretId]) {
      let cursor: string | undefined;
      do {
        const page = await vault.call<{ items: { requestId: string }[]; nextCursor?: string }>(
          'GET',
          `/v1/audit?secretId=${id}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { token: tokens.admin },
        );
        expect(page.status).toBe(200);
        requestIds.push(...page.body.items.map((e) => e.requestId));
        cursor = page.body.nextCursor;
      } while (cursor);
    }
    // Act: the steps about these secrets (a request for a missing secret names none)
    const about: string[] = [];
    for (const res of steps) {
      const event = await outbox.onlyEventOf(res);
      if (event.target.secretId === secretId || event.target.secretId === twoSecretId) about.push(event.requestId);
    }
    // Assess
    expect(about.length).toBeGreaterThan(40);
    const count = (id: string) => requestIds.filter((r) => r === id).length;
    expect(about.filter((id) => count(id) !== 1)).toEqual([]);
  });
});
