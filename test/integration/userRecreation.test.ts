import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

// A user deleted and re-created under the same name is a new account (a new sub): it inherits no
// policy, grant or right to approve of the old one until an admin saves the policy again.
// `issuer.users.recreate` stands in for deleting and re-creating the user in Cognito.
let vault: TestVault;
let outbox: OutboxReader;
let admin: string;
let prefix: string;
let secretId: string;

const errorCode = (res: ApiResponse) => (res.body.error as { code?: string } | undefined)?.code;
const otp = (token: string, id = secretId) => vault.call('POST', `/v1/secrets/${id}/otp`, { token });
const newSecret = async (path: string) =>
  (await vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } })).body.id as string;

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  admin = await vault.token('root', ['admins']);
  prefix = uniquePath('/recreated');
  secretId = await newSecret(`${prefix}/db`);
}, 120_000);

afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});

describe('a re-created user', () => {
  it('gets nothing the old account was granted, is told apart in the audit log, and is granted again when the policy is saved', async () => {
    // Prepare: a policy grants alice; alice gets an OTP.
    const document = { name: 'alice reads db', effect: 'allow', principals: ['user:alice'], resources: [`${prefix}/**`], actions: ['otp:generate'] };
    const created = await vault.call('POST', '/v1/policies', { token: admin, body: document });
    expect(created.status).toBe(201);
    const policyId = created.body.id as string;
    const oldAlice = await vault.token('alice');
    const before = await otp(oldAlice);
    expect(before.status).toBe(200);

    // Act: alice is deleted and created again; the new account asks for the same secret.
    const newSub = await vault.stack.issuer.users.recreate('alice');
    const newAlice = await vault.token('alice');
    const refused = await otp(newAlice);
    const shown = await vault.call('GET', `/v1/policies/${policyId}`, { token: admin });
    const simulated = await vault.call('POST', '/v1/policies/simulate', { token: admin, body: { principal: 'user:alice', action: 'otp:generate', path: `${prefix}/db` } });

    // Assess: refused, with the policy shown as bound to the old account.
    expect(refused.status).toBe(403);
    const [oldEvent, newEvent] = [await outbox.onlyEventOf(before), await outbox.onlyEventOf(refused)];
    expect(oldEvent.actor).toMatchObject({ principal: 'user:alice', sub: (created.body.userSubs as Record<string, string>).alice });
    expect(newEvent.actor).toMatchObject({ principal: 'user:alice', sub: newSub });
    expect(newEvent.actor.sub).not.toBe(oldEvent.actor.sub);
    expect(shown.body.warnings).toEqual(['user alice was re-created after this policy was saved; save it again to grant the new account']);
    expect(simulated.body).toMatchObject({ allowed: false, warnings: [expect.stringContaining('user alice was re-created after this policy was saved')] });

    // Act: the admin saves the policy again.
    const saved = await vault.call('PUT', `/v1/policies/${policyId}`, { token: admin, body: document });
    const nowNew = await otp(newAlice);
    const nowOld = await otp(oldAlice);
    const shownAgain = await vault.call('GET', `/v1/policies/${policyId}`, { token: admin });

    // Assess: the new account is granted, the old one (its token still unexpired) no longer.
    expect(saved.status).toBe(200);
    expect(saved.body.userSubs).toEqual({ alice: newSub });
    expect(nowNew.status).toBe(200);
    expect(nowOld.status).toBe(403);
    expect(shownAgain.body.warnings).toBeUndefined();

    // The audit log (query and export) tells the two accounts apart under the one readable name.
    await vault.stack.audit.flush();
    const logged = await vault.call<{ items: { actor: { principal: string; sub?: string }; requestId: string }[] }>('GET', '/v1/audit?actor=user:alice', { token: admin });
    const subOf = (res: ApiResponse) => logged.body.items.find((e) => e.requestId === res.headers.get('x-request-id'))?.actor;
    expect(subOf(before)).toEqual(oldEvent.actor);
    expect(subOf(refused)).toEqual(newEvent.actor);
    const csv = await (await fetch(`${vault.url}/v1/audit/export?actor=user:alice&format=csv`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(csv.split('\r\n')[0]).toContain(',actorSub,');
    expect(csv).toContain(`user:alice,user,,${newSub},`);
  });

  it('cannot approve as the approver the policy named, nor use the old account\'s grant', async () => {
    // Prepare: oncall members need carol's approval; bob (oncall) is granted once carol approves.
    const jitPrefix = uniquePath('/recreated-jit');
    const jitSecret = await newSecret(`${jitPrefix}/root`);
    const policy = { name: 'oncall with carol', effect: 'allow', principals: ['group:oncall'], resources: [`${jitPrefix}/**`], actions: ['otp:generate'], approval: { approvers: ['user:carol'], minApprovals: 1, grantMinutes: 60, justificationRequired: false } };
    expect((await vault.call('POST', '/v1/policies', { token: admin, body: policy })).status).toBe(201);
    const bob = await vault.token('bob', ['oncall']);
    const oldCarol = await vault.token('carol');
    const ask = async (token: string) => (await vault.call('POST', '/v1/access-requests', { token, body: { secretId: jitSecret, actions: ['otp:generate'], justification: 'incident' } })).body.id as string;
    const granted = await ask(bob);
    expect((await vault.call('POST', `/v1/access-requests/${granted}/approve`, { token: oldCarol })).status).toBe(200);
    expect((await otp(bob, jitSecret)).status).toBe(200);
    const pending = await ask(await vault.token('dan', ['oncall']));

    // Act
    await vault.stack.issuer.users.recreate('carol');
    await vault.stack.issuer.users.recreate('bob');
    const newCarol = await vault.token('carol');
    const approval = await vault.call('POST', `/v1/access-requests/${pending}/approve`, { token: newCarol });
    const newBob = await otp(await vault.token('bob', ['oncall']), jitSecret);

    // Assess
    expect(approval.status).toBe(403);
    expect(errorCode(approval)).toBe('NotAnApprover');
    expect(newBob.status).toBe(403);
    expect(errorCode(newBob)).toBe('ApprovalRequired');
  });
});
