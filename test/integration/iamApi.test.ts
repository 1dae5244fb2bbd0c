import { stat } from 'node:fs/promises';
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/audit/event';
import { bearerAuth, createClient, type Client } from '../../shared/client/client';
import { sigv4Auth } from '../../shared/client/sigv4';
import { EVENTS_TABLE } from '../../shared/store/tables';
import { CREDENTIALS_FILE, ensureLocalRole, LOCAL_IAM_REGION, type LocalRoleCredentials } from '../../local/iam/credentials';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

const PRINCIPAL = 'role:arn:aws:iam::000000000000:role/ci';

let vault: TestVault;
let admin: Client;
let ci: LocalRoleCredentials;

function asRole(credentials: LocalRoleCredentials, now?: () => Date): Client {
  return createClient({ baseUrl: vault.stack.iamUrl, authenticate: sigv4Auth({ credentials, region: LOCAL_IAM_REGION, now }) });
}

/** The `authenticate` events the IAM API wrote, newest last. */
async function refusals(): Promise<AuditEvent[]> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: vault.stack.dynamoDbEndpoint, region: 'us-east-1' }));
  try {
    const out = await db.send(new ScanCommand({ TableName: vault.stack.tableName(EVENTS_TABLE), FilterExpression: 'operation = :o', ExpressionAttributeValues: { ':o': 'authenticate' } }));
    return ((out.Items ?? []) as AuditEvent[]).filter((e) => e.details.mechanism === 'sigv4').sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
  } finally {
    db.destroy();
  }
}

beforeAll(async () => {
  vault = await startTestVault();
  admin = createClient({ baseUrl: vault.url, authenticate: bearerAuth(await vault.token('alice', ['admins'])) });
  ci = await ensureLocalRole(vault.dataDir, 'ci');
  await admin.call('createPolicy', { body: { name: 'ci codes', effect: 'allow', principals: [PRINCIPAL], resources: ['/ci/**'], actions: ['otp:generate', 'secret:read'] } });
});
afterAll(async () => vault?.stop());

describe('the local IAM API (SigV4)', () => {
  it('keeps the credentials of role ci, made at the first start, readable by the owner only', async () => {
    // Act
    const mode = (await stat(join(vault.dataDir, CREDENTIALS_FILE))).mode & 0o777;

    // Assess
    expect(mode).toBe(0o600);
    expect(ci.accessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
  });

  it('serves the same routes to a signed role, which calls as its role principal', async () => {
    // Prepare
    const path = uniquePath('/ci');
    const created = await admin.call('createSecret', { body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });

    // Act
    const me = await asRole(ci).call('getMe');
    const otp = await asRole(ci).call('generateOtp', { params: { secretId: created.id }, body: { minValidSeconds: 1 } });
    const listed = await asRole(ci).call('listSecrets', { query: { prefix: '/ci/', limit: 5 } });

    // Assess
    expect(me.principal).toEqual({ id: PRINCIPAL, kind: 'role', name: 'arn:aws:iam::000000000000:role/ci' });
    expect(otp.code).toMatch(/^\d{6}$/);
    expect(listed.items.map((s) => s.path)).toContain(path);
  });

  it('refuses a bearer token on the IAM API, and a signature on the token API', async () => {
    // Act
    const tokenOnIam = await createClient({ baseUrl: vault.stack.iamUrl, authenticate: bearerAuth(await vault.token('alice', ['admins'])) })
      .call('getMe')
      .catch((e: unknown) => e);
    const signatureOnTokenApi = await createClient({ baseUrl: vault.url, authenticate: sigv4Auth({ credentials: ci, region: LOCAL_IAM_REGION }) })
      .call('getMe')
      .catch((e: unknown) => e);

    // Assess
    expect(tokenOnIam).toMatchObject({ status: 403, code: 'Unauthenticated' });
    expect(signatureOnTokenApi).toMatchObject({ status: 403, code: 'Unauthenticated' });
  });

  it('answers 403 to a wrong secret and an expired signature, and audits both like a refused token', async () => {
    // Prepare: a minute no earlier refusal from this machine fell in (the bearer token of the test above
    // opened this minute's window of anonymous refusals from 127.0.0.1, which would only count the next).
    // Only `Date` is moved: the gate, the verifier and the signer all read it.
    const before = (await refusals()).length;
    jest.useFakeTimers({
      now: Math.ceil(Date.now() / 60_000) * 60_000 + 2 * 60_000,
      advanceTimers: true,
      doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    });

    // Act
    let wrongSecret: unknown;
    let expired: unknown;
    try {
      wrongSecret = await asRole({ ...ci, secretAccessKey: 'not-the-secret' }).call('getMe').catch((e: unknown) => e);
      expired = await asRole(ci, () => new Date(Date.now() - 6 * 60_000)).call('getMe').catch((e: unknown) => e);
    } finally {
      jest.useRealTimers();
    }

    // Assess
    expect(wrongSecret).toMatchObject({ status: 403, code: 'Unauthenticated', message: expect.stringMatching(/signature does not match/) });
    expect(expired).toMatchObject({ status: 403, code: 'Unauthenticated', message: expect.stringMatching(/expired/) });
    const events = (await refusals()).slice(before);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ action: 'authenticate', result: 'denied', status: 403, actor: { principal: 'anonymous' }, details: { routeKey: 'GET /v1/me' } });
    expect(events[1]).toMatchObject({ action: 'authenticate', result: 'denied', status: 403, actor: { principal: PRINCIPAL } });
  });

  it('counts repeated refused signatures of a source in its refusal window instead of auditing each', async () => {
    // Prepare: a fresh minute, as above.
    jest.useFakeTimers({
      now: Math.ceil(Date.now() / 60_000) * 60_000 + 4 * 60_000,
      advanceTimers: true,
      doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    });
    const before = (await refusals()).length;

    // Act
    const answers: unknown[] = [];
    try {
      for (let i = 0; i < 5; i++) answers.push(await asRole({ ...ci, secretAccessKey: 'not-the-secret' }).call('getMe').catch((e: unknown) => e));
    } finally {
      jest.useRealTimers();
    }

    // Assess
    for (const answer of answers) expect(answer).toMatchObject({ status: 403, code: 'Unauthenticated' });
    const events = (await refusals()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { principal: 'anonymous' }, source: { ip: '127.0.0.1' } });
  });
});
