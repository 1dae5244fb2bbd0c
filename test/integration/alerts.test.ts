import { existsSync, readFileSync } from 'node:fs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { overrideDeps } from '../../shared/api/deps';
import type { Alert } from '../../shared/alerts/alert';
import type { Clock } from '../../shared/clock';
import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

// Alerts through the local runner: the outbox stream's second consumer records them as JSON Lines.
const clock: Clock = { now: () => Date.parse('2090-07-01T08:00:00.000Z'), sleep: async () => undefined };

let vault: TestVault;
let outbox: OutboxReader;
let restoreClock: () => void;
const tokens: Record<string, string> = {};
let watched: string;
let quiet: string;

type Line = { source: string; 'detail-type': string; detail: Alert };
const published = (): Line[] =>
  existsSync(vault.stack.alerts.file) ? readFileSync(vault.stack.alerts.file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line) : [];
const call = (who: string, method: string, path: string, body?: unknown) => vault.call(method, path, { token: tokens[who], ...(body !== undefined ? { body } : {}) });
const eventIdOf = async (res: ApiResponse) => (await outbox.onlyEventOf(res)).eventId;
/** The alerts published for one request's audit event (exactly as many as the test expects). */
async function alertsOf(res: ApiResponse): Promise<Line[]> {
  const id = await eventIdOf(res);
  return published().filter((l) => l.detail.auditEventId === id);
}

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  restoreClock = overrideDeps({ clock });
  tokens.admin = await vault.token('alice', ['admins']);
  tokens.bob = await vault.token('bob');
  tokens.carol = await vault.token('carol');
  const prefix = uniquePath('/alerts');
  const secret = async (path: string, alertOnUse: boolean) =>
    (await call('admin', 'POST', '/v1/secrets', {
      path,
      template: 'webapp-otp',
      alertOnUse,
      fields: { url: 'https://root.example', username: 'root', password: 'pw-alerts', otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['rc-1', 'rc-2', 'rc-3', 'rc-4'] },
    })).body.id as string;
  watched = await secret(`${prefix}/root`, true);
  quiet = await secret(`${prefix}/quiet`, false);
  const policy = await call('admin', 'POST', '/v1/policies', {
    name: 'bob asks carol',
    effect: 'allow',
    principals: ['user:bob'],
    resources: [`${prefix}/**`],
    actions: ['otp:generate'],
    approval: { approvers: ['user:carol'] },
  });
  expect(policy.status).toBe(201);
}, 120_000);

afterAll(async () => {
  restoreClock?.();
  outbox?.close();
  await vault?.stop();
});

describe('alerts', () => {
  it('publishes one alert per code or field handed out of an alertOnUse secret, and none for others', async () => {
    // Act
    const code = await call('admin', 'POST', `/v1/secrets/${watched}/otp`);
    const field = await call('admin', 'POST', `/v1/secrets/${watched}/fields/password/reveal`);
    const other = await call('admin', 'POST', `/v1/secrets/${quiet}/otp`);
    const read = await call('admin', 'GET', `/v1/secrets/${watched}`);
    await vault.stack.alerts.flush();
    // Assess
    expect((await call('admin', 'GET', `/v1/secrets/${watched}`)).body).toMatchObject({ alertOnUse: true });
    expect(await alertsOf(code)).toEqual([
      { source: 'otpvault', 'detail-type': 'Secret Used', detail: expect.objectContaining({ who: 'user:alice', secretId: watched, what: 'otp', time: '2090-07-01T08:00:00.000Z' }) },
    ]);
    expect((await alertsOf(field)).map((l) => l.detail.what)).toEqual(['field password']);
    expect(await alertsOf(other)).toEqual([]);
    expect(await alertsOf(read)).toEqual([]);
    expect(readFileSync(vault.stack.alerts.file, 'utf8')).not.toContain('pw-alerts');
  });

  it('publishes every access request and decision, and the use under the grant names the grant', async () => {
    // Act
    const requested = await call('bob', 'POST', '/v1/access-requests', { secretId: watched, actions: ['otp:generate'] });
    const approved = await call('carol', 'POST', `/v1/access-requests/${requested.body.id as string}/approve`);
    const used = await call('bob', 'POST', `/v1/secrets/${watched}/otp`);
    await vault.stack.alerts.flush();
    // Assess
    expect(used.status).toBe(200);
    expect((await alertsOf(requested)).map((l) => [l['detail-type'], l.detail.who, l.detail.accessRequestId])).toEqual([['Access Requested', 'user:bob', requested.body.id]]);
    expect((await alertsOf(approved)).map((l) => [l['detail-type'], l.detail.who])).toEqual([['Access Approved', 'user:carol']]);
    expect((await alertsOf(used)).map((l) => l.detail)).toEqual([
      expect.objectContaining({ type: 'Secret Used', who: 'user:bob', grant: { requestId: requested.body.id, until: '2090-07-01T09:00:00.000Z' } }),
    ]);
  });

  it('publishes low stock once the set is down to 2 unused recovery codes', async () => {
    // Act: 4 codes → 3 left, then 2 left
    const first = await call('admin', 'POST', `/v1/secrets/${quiet}/recovery-codes/reveal`);
    const second = await call('admin', 'POST', `/v1/secrets/${quiet}/recovery-codes/reveal`);
    await vault.stack.alerts.flush();
    // Assess
    expect(await alertsOf(first)).toEqual([]);
    expect((await alertsOf(second)).map((l) => [l['detail-type'], l.detail.remaining])).toEqual([['Recovery Codes Low', 2]]);
  });

  it('starts and stops alerting when a secret is marked and unmarked later, each change audited', async () => {
    // Act
    const mark = await call('admin', 'PUT', `/v1/secrets/${quiet}/alert-on-use`, { alertOnUse: true });
    const marked = await call('admin', 'POST', `/v1/secrets/${quiet}/otp`);
    const unmark = await call('admin', 'PUT', `/v1/secrets/${quiet}/alert-on-use`, { alertOnUse: false });
    const unmarked = await call('admin', 'POST', `/v1/secrets/${quiet}/otp`);
    const bob = await call('bob', 'PUT', `/v1/secrets/${quiet}/alert-on-use`, { alertOnUse: false });
    await vault.stack.alerts.flush();
    // Assess
    expect([mark.status, unmark.status, bob.status]).toEqual([200, 200, 403]);
    expect(await outbox.onlyEventOf(mark)).toMatchObject({ reason: 'alerts on use enabled', target: { secretId: quiet } });
    expect((await alertsOf(marked)).map((l) => l['detail-type'])).toEqual(['Secret Used']);
    expect(await alertsOf(unmarked)).toEqual([]);
  });

  it('publishes nothing twice when the stream hands the same record again', async () => {
    // Prepare: the OTP event of a fresh request, as its stream record
    const code = await call('admin', 'POST', `/v1/secrets/${watched}/otp`);
    await vault.stack.alerts.flush();
    const [event] = await outbox.eventsOf(code.headers.get('x-request-id'));
    const record = { eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage: marshall(event, { removeUndefinedValues: true }) } };
    const before = published().length;
    const { handler } = (await import('../../lambdas/alertPublisher/handler')) as { handler: (e: DynamoDBStreamEvent) => Promise<{ batchItemFailures: unknown[] }> };
    // Act
    const result = await handler({ Records: [record, record] } as unknown as DynamoDBStreamEvent);
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(published()).toHaveLength(before);
    expect(published().filter((l) => l.detail.auditEventId === event!.eventId)).toHaveLength(1);
  });
});
