import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

// Drives the policy routes through the local runner (DynamoDB Local + the real handlers).
let vault: TestVault;
let outbox: OutboxReader;
let admin: string;

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  admin = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});

interface PolicyBody {
  id: string;
  version: number;
  name: string;
  createdAt: string;
  builtin?: boolean;
}

const policy = (fields: Record<string, unknown> = {}) => ({
  name: 'ops codes',
  effect: 'allow',
  principals: ['group:ops'],
  resources: ['/ops/**'],
  actions: ['otp:generate'],
  ...fields,
});

async function createPolicy(body: Record<string, unknown>, token = admin): Promise<string> {
  const res = await vault.call<PolicyBody>('POST', '/v1/policies', { token, body });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function createSecret(path: string): Promise<string> {
  const res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const errorOf = (res: ApiResponse) => (res.body as { error: { code: string; message: string } }).error;

describe('policy administration', () => {
  it('creates, reads, lists, replaces and deletes a policy, auditing each change in its transaction', async () => {
    // Prepare
    const body = policy({ name: 'crud', description: 'for the CRUD test' });
    // Act
    const created = await vault.call<PolicyBody>('POST', '/v1/policies', { token: admin, body });
    const id = created.body.id;
    const read = await vault.call<PolicyBody>('GET', `/v1/policies/${id}`, { token: admin });
    const listed = await vault.call<{ version: number; items: PolicyBody[] }>('GET', '/v1/policies', { token: admin });
    const replaced = await vault.call<PolicyBody>('PUT', `/v1/policies/${id}?version=1`, { token: admin, body: { ...body, actions: ['otp:generate', 'secret:read'] } });
    const stale = await vault.call('PUT', `/v1/policies/${id}?version=1`, { token: admin, body });
    const deleted = await vault.call('DELETE', `/v1/policies/${id}?version=2`, { token: admin });
    const gone = await vault.call('GET', `/v1/policies/${id}`, { token: admin });
    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, id: expect.stringMatching(/^pol-[0-9a-z]{26}$/), version: 1, createdBy: 'user:alice' });
    expect(read.body).toEqual(created.body);
    expect(listed.body.items[0]).toMatchObject({ id: 'builtin-admins', builtin: true });
    expect(listed.body.items.map((p) => p.id)).toContain(id);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, version: 2, actions: ['otp:generate', 'secret:read'], createdAt: created.body.createdAt });
    expect(stale.status).toBe(409);
    expect(errorOf(stale).code).toBe('PolicyVersionMismatch');
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
    for (const [res, reason] of [[created, 'policy created'], [replaced, 'policy replaced'], [deleted, 'policy deleted']] as const) {
      const events = await outbox.eventsOf(res.headers.get('x-request-id'));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'policy:manage', result: 'allowed', reason, target: { policyId: id }, details: { decidedBy: 'builtin-admins' } });
    }
  });

  it.each([
    ['an unknown action', { actions: ['otp:steal'] }, 'unknown action "otp:steal"'],
    ['a malformed CIDR range', { conditions: { sourceIp: ['10.0.0.0/33'] } }, '"10.0.0.0/33" is not a CIDR range: prefix must be a whole number from 0 to 32'],
    ['an unknown time zone', { conditions: { timeWindow: { start: '09:00', end: '17:00', timeZone: 'Mars/Olympus_Mons' } } }, 'unknown time zone "Mars/Olympus_Mons"'],
    ['no principals', { principals: [] }, 'list at least one principal'],
    ['a malformed principal', { principals: ['ops'] }, 'principal "ops" must start with one of'],
    ['a global action on a secret path', { actions: ['policy:manage'] }, 'policy:manage is checked against the global scope'],
  ])('refuses a policy with %s (400 naming the problem)', async (_case, fields, message) => {
    // Act
    const res = await vault.call('POST', '/v1/policies', { token: admin, body: policy(fields) });
    // Assess
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toContain(message);
  });

  it('lists the built-in policy but refuses to change or delete it', async () => {
    // Act
    const read = await vault.call<PolicyBody>('GET', '/v1/policies/builtin-admins', { token: admin });
    const changed = await vault.call('PUT', '/v1/policies/builtin-admins', { token: admin, body: policy() });
    const deleted = await vault.call('DELETE', '/v1/policies/builtin-admins', { token: admin });
    // Assess
    expect(read.body).toMatchObject({ id: 'builtin-admins', builtin: true, principals: ['group:admins'], actions: ['*'] });
    for (const res of [changed, deleted]) {
      expect(res.status).toBe(409);
      expect(errorOf(res)).toMatchObject({ code: 'BuiltinPolicy', message: expect.stringContaining('built-in policy and cannot be') });
    }
  });

  it('refuses a deny that would leave nobody able to manage policies', async () => {
    // Act
    const res = await vault.call('POST', '/v1/policies', {
      token: admin,
      body: { name: 'no admins', effect: 'deny', principals: ['group:admins'], resources: ['*'], actions: ['policy:manage'] },
    });
    // Assess
    expect(res.status).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'PolicyLockout', message: expect.stringContaining('nobody could manage policies') });
  });

  it('refuses deleting or narrowing the last policy:manage grant that the denies leave standing', async () => {
    // Prepare: carol manages policies; then admins are denied it, so carol's grant is the last one.
    const carol = await vault.token('carol');
    const grant = await createPolicy({ name: 'carol manages', effect: 'allow', principals: ['user:carol'], resources: ['*'], actions: ['policy:manage'] });
    const deny = await createPolicy({ name: 'admins do not', effect: 'deny', principals: ['group:admins'], resources: ['*'], actions: ['policy:manage'] });
    // Act
    const adminNow = await vault.call('GET', '/v1/policies', { token: admin });
    const deleteGrant = await vault.call('DELETE', `/v1/policies/${grant}`, { token: carol });
    const narrowGrant = await vault.call('PUT', `/v1/policies/${grant}`, {
      token: carol,
      body: { name: 'carol audits', effect: 'allow', principals: ['user:carol'], resources: ['*'], actions: ['audit:read'] },
    });
    const deleteDeny = await vault.call('DELETE', `/v1/policies/${deny}`, { token: carol });
    const deleteGrantAfter = await vault.call('DELETE', `/v1/policies/${grant}`, { token: admin });
    // Assess
    expect(adminNow.status).toBe(403);
    expect([deleteGrant.status, narrowGrant.status]).toEqual([409, 409]);
    expect(errorOf(deleteGrant).code).toBe('PolicyLockout');
    expect(errorOf(narrowGrant).code).toBe('PolicyLockout');
    expect(deleteDeny.status).toBe(204);
    expect(deleteGrantAfter.status).toBe(204);
  });

  it('records the policies that decided in the audit event, for an allow and for a denial', async () => {
    // Prepare
    const zed = await vault.token('zed', ['zeds']);
    const path = uniquePath('/z');
    const secretId = await createSecret(path);
    const allow = await createPolicy(policy({ name: 'zeds read and codes', principals: ['group:zeds'], resources: ['/z/**'], actions: ['secret:read', 'otp:generate'] }));
    const deny = await createPolicy(policy({ name: 'no codes for zed', effect: 'deny', principals: ['user:zed'], resources: ['/z/**'] }));
    // Act
    const read = await vault.call('GET', `/v1/secrets/${secretId}`, { token: zed });
    const code = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: zed });
    // Assess
    expect([read.status, code.status]).toEqual([200, 403]);
    const [allowed] = await outbox.eventsOf(read.headers.get('x-request-id'));
    const [denied] = await outbox.eventsOf(code.headers.get('x-request-id'));
    expect(allowed).toMatchObject({ result: 'allowed', details: { decidedBy: allow, policySetVersion: expect.any(Number) } });
    expect(denied).toMatchObject({
      result: 'denied',
      status: 403,
      target: { secretId, path },
      details: { decidedBy: deny, decision: `not allowed to otp:generate on ${path}` },
    });
    expect(errorOf(code).message).toBe(`not allowed to otp:generate on secret ${secretId}`);
  });

  it('decides the very next request with the changed policies', async () => {
    // Prepare
    const erin = await vault.token('erin');
    const secretId = await createSecret(uniquePath('/fresh'));
    const id = await createPolicy(policy({ name: 'erin codes', principals: ['user:erin'], resources: ['/fresh/**'] }));
    const before = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: erin });
    // Act
    await vault.call('DELETE', `/v1/policies/${id}`, { token: admin });
    const after = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: erin });
    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(403);
  });
});

describe('policy conditions through the API', () => {
  it('does not allow from a source IP outside the sourceIp ranges (the local runner answers from 127.0.0.1)', async () => {
    // Prepare
    const ivan = await vault.token('ivan');
    const secretId = await createSecret(uniquePath('/cond'));
    const body = policy({ name: 'ivan from the office', principals: ['user:ivan'], resources: ['/cond/**'], actions: ['secret:read'], conditions: { sourceIp: ['10.0.0.0/8'] } });
    const id = await createPolicy(body);
    // Act
    const outside = await vault.call('GET', `/v1/secrets/${secretId}`, { token: ivan });
    await vault.call('PUT', `/v1/policies/${id}`, { token: admin, body: { ...body, conditions: { sourceIp: ['127.0.0.1/32', '::1/128'] } } });
    const inside = await vault.call('GET', `/v1/secrets/${secretId}`, { token: ivan });
    // Assess
    expect(outside.status).toBe(403);
    expect(inside.status).toBe(200);
  });

  it('applies a time window at the simulated time', async () => {
    // Prepare: Tuesday 11:30 and Saturday 11:30 in Berlin (CEST).
    const id = await createPolicy(
      policy({
        name: 'tina office hours',
        principals: ['user:tina'],
        resources: ['/tw/**'],
        conditions: { timeWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' } },
      }),
    );
    const ask = (time: string) =>
      vault.call<{ allowed: boolean; decidedBy: { id: string }[]; evaluated: { id: string; outcome: string; note: string }[] }>('POST', '/v1/policies/simulate', {
        token: admin,
        body: { principal: 'user:tina', action: 'otp:generate', path: '/tw/x', time },
      });
    // Act
    const weekday = await ask('2024-06-04T09:30:00Z');
    const weekend = await ask('2024-06-08T09:30:00Z');
    // Assess
    expect(weekday.body).toMatchObject({ allowed: true, decidedBy: [{ id }] });
    expect(weekend.body.allowed).toBe(false);
    expect(weekend.body.evaluated).toContainEqual(expect.objectContaining({ id, outcome: 'conditionsNotMet', note: expect.stringContaining('outside time window') }));
  });
});

describe('POST /v1/policies/simulate', () => {
  it('names the policies that decided and says why the others did not apply', async () => {
    // Prepare
    const allow = await createPolicy(policy({ name: 'sim codes', principals: ['group:sim'], resources: ['/sim/**'] }));
    const deny = await createPolicy(policy({ name: 'not sam on prod', effect: 'deny', principals: ['user:sam'], resources: ['/sim/prod/**'] }));
    const reads = await createPolicy(policy({ name: 'sim reads', principals: ['group:sim'], resources: ['/other/**'], actions: ['secret:read'] }));
    const ipBound = await createPolicy(policy({ name: 'sim vpn', principals: ['group:sim'], resources: ['/vpn/**'], conditions: { sourceIp: ['10.0.0.0/8'] } }));
    const simulate = (body: Record<string, unknown>) =>
      vault.call<{ allowed: boolean; reason: string; decidedBy: { id: string }[]; evaluated: { id: string; outcome: string }[]; request: Record<string, unknown> }>(
        'POST',
        '/v1/policies/simulate',
        { token: admin, body: { principal: 'user:sam', groups: ['sim'], action: 'otp:generate', ...body } },
      );
    // Act
    const onProd = await simulate({ path: '/sim/prod/db', time: '2024-06-04T09:30:00Z' });
    const onDev = await simulate({ path: '/sim/dev/db' });
    const elsewhere = await simulate({ path: '/elsewhere/db' });
    const fromVpn = await simulate({ path: '/vpn/gw', sourceIp: '10.1.2.3' });
    // Assess
    expect(onProd.status).toBe(200);
    expect(onProd.body).toMatchObject({
      allowed: false,
      reason: 'not allowed to otp:generate on /sim/prod/db',
      decidedBy: [{ id: deny, effect: 'deny' }],
      request: { principal: 'user:sam', groups: ['sim'], action: 'otp:generate', path: '/sim/prod/db', time: '2024-06-04T09:30:00.000Z' },
    });
    const outcomes = Object.fromEntries(onProd.body.evaluated.map((e) => [e.id, e.outcome]));
    expect(outcomes).toEqual({ [allow]: 'applied', [deny]: 'applied', [reads]: 'actionNotCovered', [ipBound]: 'resourceNotMatched' });
    expect(onDev.body).toMatchObject({ allowed: true, decidedBy: [{ id: allow }] });
    expect(elsewhere.body).toMatchObject({ allowed: false, decidedBy: [] });
    expect(fromVpn.body).toMatchObject({ allowed: true, decidedBy: [{ id: ipBound }] });
  });

  it('refuses to simulate a group as the caller', async () => {
    // Act
    const res = await vault.call('POST', '/v1/policies/simulate', { token: admin, body: { principal: 'group:ops', action: 'otp:generate', path: '/x' } });
    // Assess
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toContain('simulate a caller');
  });
});
