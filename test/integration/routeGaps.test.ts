import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamo';
import type { AuditEvent } from '../../shared/audit/event';
import { auditItem } from '../../shared/audit/query/auditItem';
import { AUDIT_EXPORT_LIMITS } from '../../shared/audit/query/limits';
import { AUDIT_TABLE } from '../../shared/store/tables';
import { callAsIam, LOCAL_ROLE } from '../helpers/iamCaller';
import { auditEvent } from '../shared/audit/pipelineFixture';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';
import { pathItem, secretItems } from '../helpers/vaultStore';

// Routes' answers the other integration files leave out: not-found and bad input, deletion down to
// the items, the caller as each kind of caller sees itself, and an export over its row limit.
let vault: TestVault;
let admin: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  await vault?.stop();
});

describe('a query parameter the route does not take', () => {
  it.each([
    ['/v1/me?verbose=1', 'verbose'],
    ['/v1/policies?limit=5', 'limit'],
  ])('GET %s answers 400 naming it', async (path, name) => {
    // Act
    const res = await vault.call('GET', path, { token: admin });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.stringContaining(name) } });
  });
});

describe('GET /v1/templates/{templateId}', () => {
  it('answers 404 for a well-formed id no template has', async () => {
    // Act
    const res = await vault.call('GET', '/v1/templates/no-such-template', { token: admin });
    // Assess
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'TemplateNotFound', message: expect.stringContaining('no-such-template') } });
  });

  it('answers 400 for an id that is not a template id, naming the field', async () => {
    // Act
    const res = await vault.call('GET', `/v1/templates/${encodeURIComponent('Bad Id!')}`, { token: admin });
    // Assess
    expect(res.status).toBe(400);
    expect(res.text).toContain('not a template id');
  });
});

describe('DELETE /v1/secrets/{secretId}', () => {
  it('answers 404 for a secret that does not exist', async () => {
    // Act
    const res = await vault.call('DELETE', '/v1/secrets/01JZZZZZZZZZZZZZZZZZZZZZZZ', { token: admin });
    // Assess
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'SecretNotFound' } });
  });

  it('removes the secret, its seed and recovery items and its path reservation', async () => {
    // Prepare
    const path = uniquePath('/delete');
    const created = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['rc-1', 'rc-2'] } },
    });
    const id = created.body.id as string;
    const before = (await secretItems(vault, id)).map((item) => item.sk);
    // Act
    const res = await vault.call('DELETE', `/v1/secrets/${id}`, { token: admin });
    // Assess
    expect(created.status).toBe(201);
    expect(before).toEqual(['META', 'RECOVERY', 'SEED']);
    expect(res.status).toBe(204);
    expect(await secretItems(vault, id)).toEqual([]);
    expect(await pathItem(vault, path)).toBeUndefined();
    expect((await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin })).status).toBe(404);
  });
});

describe('GET /v1/me', () => {
  it.each([
    ['a person', () => vault.token('carol', ['ops']), { principal: { id: 'user:carol', kind: 'user', name: 'carol' }, groups: ['ops'] }],
    ['a service', () => vault.serviceToken('deploy-bot', ['ci']), { principal: { id: 'service:deploy-bot', kind: 'service', name: 'deploy-bot' }, groups: ['ci'] }],
  ])('names %s by its token', async (_kind, token, expected) => {
    // Act
    const res = await vault.call('GET', '/v1/me', { token: await token() });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(expected);
  });

  it('names an IAM role by its role, whatever its session', async () => {
    // Act
    const res = await callAsIam(LOCAL_ROLE.sessionArn, 'GET', '/v1/me');
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ principal: { id: LOCAL_ROLE.principal, kind: 'role' } });
  });

  it('answers 401 to a caller without a token', async () => {
    // Act
    const res = await vault.call('GET', '/v1/me');
    // Assess
    expect(res.status).toBe(401);
  });
});

describe('list routes given bad input', () => {
  it.each([
    ['GET /v1/me/secrets with a prefix not starting with "/"', '/v1/me/secrets?prefix=aws'],
    ['GET /v1/me/secrets with an unknown parameter', '/v1/me/secrets?path=/aws'],
    ['GET /v1/me/secrets with a prefix longer than a path may be', `/v1/me/secrets?prefix=/${'a'.repeat(2000)}`],
  ])('answers 400 to %s', async (_name, target) => {
    // Act
    const res = await vault.call('GET', target, { token: admin });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'InvalidInput', message: expect.any(String) } });
  });
});

describe('GET /v1/templates given input it does not take', () => {
  it('refuses a query parameter (the route reads none) with 400 naming it, and still answers without', async () => {
    // Act
    const plain = await vault.call('GET', '/v1/templates', { token: admin });
    const withQuery = await vault.call('GET', '/v1/templates?limit=5', { token: admin });
    // Assess
    expect(plain.status).toBe(200);
    expect(withQuery.status).toBe(400);
    expect(withQuery.text).toContain('limit');
  });

  it.each([
    ['no token', {}],
  ])('answers 401 to %s', async (_name, headers) => {
    // Act
    const res = await vault.call('GET', '/v1/templates', { headers });
    // Assess
    expect(res.status).toBe(401);
  });

  // A token the authorizer refuses is 403, as API Gateway answers `isAuthorized: false`.
  it.each([
    ['a token that is not a JWT', { authorization: 'Bearer not-a-jwt' }],
    ['another scheme', { authorization: 'Basic YWxpY2U6cHc=' }],
  ])('answers 403 to %s', async (_name, headers) => {
    // Act
    const res = await vault.call('GET', '/v1/templates', { headers });
    // Assess
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('template');
  });
});

describe('GET /v1/audit/export over its size limit', () => {
  const DAY = '2026-06-15';
  /** Events of about 300 kB (DynamoDB items hold at most 400 kB): 18 of them make a file over the 5 MB a response may carry. */
  const BIG_EVENTS = 18;

  /**
   * Writes `count` audit events of one day straight into the audit table with BatchWriteItem, as the
   * stream consumer would have. (Over the row limit instead would take 10,001 items: minutes of
   * DynamoDB Local on 2 cores; that limit is checked on collectAudit.)
   */
  async function seedAuditTable(count: number, detailBytes: number): Promise<void> {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: LOCAL_REGION, endpoint: vault.stack.dynamoDbEndpoint, credentials: LOCAL_CREDENTIALS }));
    const start = Date.parse(`${DAY}T00:00:00.000Z`);
    const items = Array.from({ length: count }, (_, i) =>
      auditItem(auditEvent(new Date(start + i * 1000).toISOString(), { requestId: `req-${i}`, details: { note: 'x'.repeat(detailBytes) } })),
    );
    const table = vault.stack.tableName(AUDIT_TABLE);
    try {
      for (let i = 0; i < items.length; i += 10) {
        let requests = items.slice(i, i + 10).map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
          requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }
    } finally {
      db.destroy();
    }
  }

  it(`answers 413 for a range whose file would exceed ${AUDIT_EXPORT_LIMITS.maxBytes} bytes, and exports the same day narrowed`, async () => {
    // Prepare
    await seedAuditTable(BIG_EVENTS, 300_000);
    // Act
    const all = await vault.call('GET', `/v1/audit/export?from=${DAY}T00:00:00.000Z&to=${DAY}T23:59:59.999Z&format=jsonl`, { token: admin });
    const narrowed = await fetch(`${vault.url}/v1/audit/export?from=${DAY}T00:00:00.000Z&to=${DAY}T00:00:02.999Z&format=jsonl`, { headers: { authorization: `Bearer ${admin}` } });
    const lines = (await narrowed.text()).trim().split('\n');
    // Assess
    expect(all.status).toBe(413);
    expect(all.body).toMatchObject({ error: { message: expect.stringContaining(`would exceed ${AUDIT_EXPORT_LIMITS.maxBytes} bytes`) } });
    expect(narrowed.status).toBe(200);
    expect(lines.map((line) => (JSON.parse(line) as AuditEvent).requestId).sort()).toEqual(['req-0', 'req-1', 'req-2']);
  });
});
