import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createProgram, type CliOutput } from '../../cli/program';
import { daysBetween, eventsPrefix, readEventObject, S3ArchiveStore, utcDay } from '../../shared/audit/archive';
import { createDocumentClient } from '../../shared/aws/clients';
import { createS3Client } from '../../shared/aws/s3Client';
import { AUDIT_TABLE } from '../../shared/store/tables';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// The whole pipeline through the local stack: API calls write the outbox, the stream poller runs
// the deployed consumer handler, and the audit table, the S3 archive and GET /v1/audit/verify are
// checked from the outside.
let vault: TestVault;
let admin: string;
let secretId: string;
/** UTC day the first event was written on; the run may cross midnight (see test/clock), so the events span it and today. */
let firstDay: string;
const today = () => utcDay(Date.now());

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
  firstDay = utcDay(Date.now());
  const created = await vault.call('POST', '/v1/secrets', {
    token: admin,
    body: { path: uniquePath('/a/b'), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } },
  });
  if (created.status !== 201) throw new Error(`could not create the secret: ${created.text}`);
  secretId = created.body.id as string;
  const otp = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: admin });
  if (otp.status !== 200) throw new Error(`could not generate a code: ${otp.text}`);
  await vault.stack.audit.flush();
}, 180_000);
afterAll(async () => {
  await vault?.stop();
});

/** The audit-table items about the secret, through the bySecret index. */
async function itemsAboutSecret(): Promise<Record<string, unknown>[]> {
  const db = createDocumentClient({ region: 'us-east-1', endpoints: { dynamoDb: vault.stack.dynamoDbEndpoint } });
  try {
    const out = await db.send(
      new QueryCommand({
        TableName: vault.stack.tableName(AUDIT_TABLE),
        IndexName: 'bySecret',
        KeyConditionExpression: 'secretKey = :id',
        ExpressionAttributeValues: { ':id': secretId },
      }),
    );
    return out.Items ?? [];
  } finally {
    db.destroy();
  }
}

function archive(): S3ArchiveStore {
  return new S3ArchiveStore(createS3Client({ region: 'us-east-1', endpoint: vault.stack.s3Endpoint }), 'otpvault-audit-archive');
}

/** Every event id in the archive's event objects since the first event (an event archived twice appears twice). */
async function archivedEventIds(): Promise<string[]> {
  const store = archive();
  const ids: string[] = [];
  for (const day of daysBetween(firstDay, today())) {
    for (const key of await store.list(eventsPrefix(day))) {
      ids.push(...readEventObject((await store.get(key)) as Buffer).events.map((event) => event.eventId));
    }
  }
  return ids;
}

describe('the audit pipeline on the local stack', () => {
  it('puts the events of creating a secret and generating a code into the audit table', async () => {
    // Act
    const items = await itemsAboutSecret();
    // Assess
    expect(items.map((item) => item.operation).sort()).toEqual(['createSecret', 'generateOtp']);
    for (const item of items) expect(item).toMatchObject({ actorKey: 'user:alice', pk: `DAY#${utcDay(item.time as string)}`, result: 'allowed' });
  });

  it('archives each of those events exactly once', async () => {
    // Prepare
    const eventIds = (await itemsAboutSecret()).map((item) => item.eventId as string);
    // Act
    const archived = await archivedEventIds();
    // Assess
    for (const eventId of eventIds) expect(archived.filter((id) => id === eventId)).toHaveLength(1);
    expect(new Set(archived).size).toBe(archived.length);
  });

  it('finds the archive intact through GET /v1/audit/verify', async () => {
    // Act
    const to = today();
    const res = await vault.call('GET', `/v1/audit/verify?from=${firstDay}&to=${to}`, { token: admin });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, from: firstDay, to, problems: [] });
    expect(res.body.checkedDigests).toBeGreaterThanOrEqual(1);
    expect(res.body.checkedObjects).toBeGreaterThanOrEqual(1);
  });

  it('refuses the verification to a caller without audit:read', async () => {
    // Prepare
    const bob = await vault.token('bob', ['developers']);
    // Act
    const res = await vault.call('GET', `/v1/audit/verify?from=${firstDay}`, { token: bob });
    // Assess
    expect(res.status).toBe(403);
  });

  it('rejects a range longer than 31 days', async () => {
    // Act
    const res = await vault.call('GET', '/v1/audit/verify?from=2026-01-01&to=2026-03-01', { token: admin });
    // Assess
    expect(res.status).toBe(400);
  });

  it('reports the archive intact through `otpvault audit verify`', async () => {
    // Prepare
    let out = '';
    const output: CliOutput = { out: (text) => void (out += text), err: (text) => void (out += text) };
    // Act
    const to = today();
    await createProgram(output).parseAsync(['audit', 'verify', '--from', firstDay, '--to', to, '--url', vault.url, '--token', admin], { from: 'user' });
    // Assess
    const range = firstDay === to ? firstDay : `${firstDay} to ${to}`;
    expect(out).toMatch(new RegExp(`^audit archive ${range}: OK \\(\\d+ digest\\(s\\), \\d+ object\\(s\\) checked`));
  });

  it('archives the verification requests too, and still finds the archive intact', async () => {
    // Prepare: the verify calls above were audited; wait until they are archived.
    await vault.stack.audit.flush();
    // Act
    const res = await vault.call('GET', `/v1/audit/verify?from=${firstDay}&to=${today()}`, { token: admin });
    // Assess
    expect(res.body).toMatchObject({ ok: true, pendingObjects: 0, problems: [] });
    const archived = await archivedEventIds();
    expect(new Set(archived).size).toBe(archived.length);
  });
});
