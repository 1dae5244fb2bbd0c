import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/audit/event';
import { EVENTS_TABLE } from '../../shared/store/tables';
import { callAsIam, LOCAL_ROLE } from '../helpers/iamCaller';
import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

/**
 * Callers other than people, end to end on the local stack: a service with a token from the
 * issuer (`otpvault local token --service <name>`) goes through the people authorizer like a user;
 * an IAM role comes through the IAM API (SigV4), which the local runner has not, so its route
 * handlers are invoked directly with the event API Gateway would hand them. Also: a refused token
 * is audited by the authorizer, since no route function ever sees it.
 */

const SEED = 'JBSWY3DPEHPK3PXP';

let vault: TestVault;
let outbox: OutboxReader;
let admin: string;
let ciSecret: string;
let opsSecret: string;

async function createSecret(path: string): Promise<string> {
  const res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: SEED } } } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Outbox events of one action and actor (a refused request has no x-request-id to look it up by). */
async function outboxEvents(action: string, actor: string): Promise<AuditEvent[]> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: vault.stack.dynamoDbEndpoint, region: 'us-east-1' }));
  try {
    const out = await db.send(
      new ScanCommand({
        TableName: vault.stack.tableName(EVENTS_TABLE),
        FilterExpression: '#action = :action AND actor.principal = :actor',
        ExpressionAttributeNames: { '#action': 'action' },
        ExpressionAttributeValues: { ':action': action, ':actor': actor },
      }),
    );
    return (out.Items ?? []) as AuditEvent[];
  } finally {
    db.destroy();
  }
}

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  admin = await vault.token('alice', ['admins']);
  ciSecret = await createSecret(uniquePath('/ci'));
  opsSecret = await createSecret(uniquePath('/ops'));
  for (const principal of ['service:deploy-bot', LOCAL_ROLE.principal]) {
    const res = await vault.call('POST', '/v1/policies', {
      token: admin,
      body: { name: `ci codes for ${principal.split(':')[0]}`, effect: 'allow', principals: [principal], resources: ['/ci/**'], actions: ['otp:generate', 'secret:read'] },
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});

describe('a service with a token', () => {
  it('generates a code where its policy allows it, audited as the service', async () => {
    // Prepare
    const token = await vault.serviceToken('deploy-bot');

    // Act
    const res = await vault.call('POST', `/v1/secrets/${ciSecret}/otp`, { token });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.code).toMatch(/^\d{6}$/);
    const events = await outbox.eventsOf(res.headers.get('x-request-id'));
    expect(events.map((e) => e.actor)).toEqual([{ principal: 'service:deploy-bot', kind: 'service', groups: [] }]);
  });

  it('is a service principal, as the authorizer named it', async () => {
    // Act
    const res = await vault.call('GET', '/v1/me', { token: await vault.serviceToken('deploy-bot', ['ci']) });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ principal: { id: 'service:deploy-bot', kind: 'service', name: 'deploy-bot' }, groups: ['ci'] });
  });

  it('is refused where no policy allows it', async () => {
    // Act
    const res = await vault.call('POST', `/v1/secrets/${opsSecret}/otp`, { token: await vault.serviceToken('deploy-bot') });

    // Assess
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'Forbidden' } });
  });
});

describe('an IAM role (IAM API)', () => {
  it('is the role principal, whatever its session', async () => {
    // Act
    const res = await callAsIam(LOCAL_ROLE.sessionArn, 'GET', '/v1/me');

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ principal: { id: LOCAL_ROLE.principal, kind: 'role' }, groups: [] });
  });

  it('generates a code where its policy allows it, audited as the role', async () => {
    // Act
    const res = await callAsIam(LOCAL_ROLE.sessionArn, 'POST', `/v1/secrets/${ciSecret}/otp`);

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.code).toMatch(/^\d{6}$/);
    const events = await outbox.eventsOf(res.headers.get('x-request-id'));
    expect(events.map((e) => e.actor)).toEqual([{ principal: LOCAL_ROLE.principal, kind: 'role', groups: [] }]);
  });

  it('is refused where no policy allows it', async () => {
    // Act
    const res = await callAsIam(LOCAL_ROLE.sessionArn, 'POST', `/v1/secrets/${opsSecret}/otp`);

    // Assess
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'Forbidden' } });
  });
});

describe('an IAM user (IAM API)', () => {
  it('is refused with 403 and told to use a role, and the refusal is audited', async () => {
    // Prepare
    const userArn = 'arn:aws:iam::000000000000:user/bob';

    // Act
    const res = await callAsIam(userArn, 'POST', `/v1/secrets/${ciSecret}/otp`);

    // Assess
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'Forbidden', message: expect.stringContaining('IAM role') } });
    const events = await outbox.eventsOf(res.headers.get('x-request-id'));
    expect(events).toEqual([expect.objectContaining({ result: 'denied', status: 403, reason: expect.stringContaining(userArn) })]);
  });
});

describe('a refused token', () => {
  it('is answered 403 by the authorizer and audited against the principal its signature vouches for', async () => {
    // Prepare
    const token = await vault.stack.issuer.signToken({ user: 'expiring-erin', groups: ['ops'], ttlSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));

    // Act
    const res = await vault.call('GET', '/v1/secrets', { token });

    // Assess
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'Unauthenticated', message: 'the bearer token was rejected: it has expired' } });
    const events = await outboxEvents('authenticate', 'user:expiring-erin');
    expect(events).toEqual([
      expect.objectContaining({ result: 'denied', status: 403, operation: 'authenticate', details: { routeKey: 'GET /v1/secrets' } }),
    ]);
  });
});
