import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureLocalCredentials } from '../../local/credentials';
import type { AuditEvent } from '../../shared/audit/event';
import { auditItem, type AuditItem } from '../../shared/audit/query';
import { encryptionContext } from '../../shared/crypto/FieldCipher';
import { ulid } from '../../shared/ids';
import { ITEM } from '../../shared/store/keys';
import { AUDIT_TABLE, VAULT_TABLE } from '../../shared/store/tables';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// Drives the real handlers through the local runner. Seeded history goes straight into the audit
// table in the layout the stream consumer writes (`auditItem`); the events of real API calls get
// there through the local stack's stream poller and the real consumer (`stack.audit.flush()`).

let vault: TestVault;
let admin: string;
let db: DynamoDBDocumentClient;
const seeded: AuditEvent[] = [];

const BASE = Date.parse('2025-03-03T00:00:00.000Z');
const MINUTE = 60_000;
const ACTORS = ['user:seed-alice', 'user:seed-bob', 'service:seed-bot'];
const ACTIONS = ['otp:generate', 'secret:read', 'recovery:reveal', 'secret:write'];
const SEEDED_COUNT = 330;
/** Reason of one event: breaks naive CSV (quote, comma, line break) and starts with a formula. */
const HOSTILE_REASON = '=HYPERLINK("http://evil.example","x"),\nnext';

function seedEvent(i: number): AuditEvent {
  const time = BASE + i * 20 * MINUTE + (i % 7) * 1000;
  const k = i % 5;
  const aboutSecret = i % 10 !== 9;
  return {
    eventId: ulid(time),
    time: new Date(time).toISOString(),
    actor: { principal: ACTORS[i % 3] as string, kind: i % 3 === 2 ? 'service' : 'user', groups: ['ops'] },
    action: ACTIONS[i % 4] as string,
    operation: 'seeded',
    target: aboutSecret ? { secretId: `seed-secret-000${k}`, path: `/seed/app-${k}` } : {},
    result: i % 7 === 0 ? 'denied' : i % 11 === 0 ? 'error' : 'allowed',
    reason: i === 5 ? HOSTILE_REASON : 'seeded',
    status: i % 7 === 0 ? 403 : i % 11 === 0 ? 500 : 200,
    source: { ip: '192.0.2.10', userAgent: i === 6 ? '@SUM(1+1)' : 'jest' },
    requestId: `seed-${i}`,
    details: { i },
  };
}

/** Writes items 25 at a time, 8 batches in flight, retrying what DynamoDB leaves unprocessed. */
async function putAll(items: AuditItem[]): Promise<void> {
  const batches: AuditItem[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const table = vault.stack.tableName(AUDIT_TABLE);
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const newestFirst = (events: AuditEvent[]) =>
  [...events].sort((a, b) => (a.time === b.time ? b.eventId.localeCompare(a.eventId) : b.time.localeCompare(a.time)));
const inRange = (from: string, to: string) => (e: AuditEvent) => e.time >= from && e.time < to;
const ids = (events: AuditEvent[]) => events.map((e) => e.eventId);

interface AuditPageBody {
  items: AuditEvent[];
  nextCursor?: string;
  from: string | null;
  to: string | null;
  source: string;
}

/** Reads every page of a query; returns the events in order and each page's size. */
async function readAll(query: Record<string, string>): Promise<{ events: AuditEvent[]; pageSizes: number[]; source: string }> {
  const events: AuditEvent[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  let source = '';
  for (let page = 0; page < 200; page++) {
    const params = new URLSearchParams({ ...query, ...(cursor && { cursor }) });
    const res = await vault.call<AuditPageBody>('GET', `/v1/audit?${params}`, { token: admin });
    expect(res.status).toBe(200);
    events.push(...res.body.items);
    pageSizes.push(res.body.items.length);
    source = res.body.source;
    cursor = res.body.nextCursor;
    if (!cursor) return { events, pageSizes, source };
  }
  throw new Error('more than 200 pages');
}

async function fetchRaw(path: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${vault.url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** RFC 4180 records (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(cell), records.push(record), (record = []), (cell = ''), i++;
    else cell += c;
  }
  return records;
}

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('auditor', ['admins']);
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: vault.stack.dynamoDbEndpoint, region: 'us-east-1' }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  for (let i = 0; i < SEEDED_COUNT; i++) seeded.push(seedEvent(i));
  await putAll(seeded.map(auditItem));
}, 120_000);
afterAll(async () => {
  db?.destroy();
  await vault?.stop();
});

const ALL_FROM = new Date(BASE).toISOString();
const ALL_TO = new Date(BASE + 5 * 24 * 60 * MINUTE).toISOString();

describe('GET /v1/audit', () => {
  it('lists an actor\'s events newest first through the byActor index, every event once across pages', async () => {
    // Prepare
    const expected = newestFirst(seeded.filter((e) => e.actor.principal === 'user:seed-alice'));

    // Act
    const { events, pageSizes, source } = await readAll({ actor: 'user:seed-alice', limit: '25' });

    // Assess
    expect(source).toBe('byActor');
    expect(ids(events)).toEqual(ids(expected));
    expect(pageSizes.slice(0, -1).every((n) => n === 25)).toBe(true);
    expect(events[0]).toEqual(expected[0]);
  });

  it('lists a secret\'s events within from/to through the bySecret index', async () => {
    // Prepare
    const from = new Date(BASE + 24 * 60 * MINUTE).toISOString();
    const to = new Date(BASE + 72 * 60 * MINUTE).toISOString();
    const expected = newestFirst(seeded.filter((e) => e.target.secretId === 'seed-secret-0002').filter(inRange(from, to)));

    // Act
    const { events, source } = await readAll({ secretId: 'seed-secret-0002', from, to, limit: '7' });

    // Assess
    expect(source).toBe('bySecret');
    expect(expected.length).toBeGreaterThan(10);
    expect(ids(events)).toEqual(ids(expected));
  });

  it('lists a path\'s events through the byPath index', async () => {
    // Prepare
    const expected = newestFirst(seeded.filter((e) => e.target.path === '/seed/app-3'));

    // Act
    const { events, source } = await readAll({ path: '/seed/app-3', limit: '1000' });

    // Assess
    expect(source).toBe('byPath');
    expect(ids(events)).toEqual(ids(expected));
  });

  it('walks the day partitions newest first for a time range, across day boundaries', async () => {
    // Prepare
    const expected = newestFirst(seeded.filter(inRange(ALL_FROM, ALL_TO)));

    // Act
    const { events, source } = await readAll({ from: ALL_FROM, to: ALL_TO, limit: '60' });

    // Assess
    expect(source).toBe('byDay');
    expect(events).toHaveLength(SEEDED_COUNT);
    expect(ids(events)).toEqual(ids(expected));
  });

  it('applies action and result filters, with pages of at most limit events and the cursor going on to the end', async () => {
    // Prepare
    const expected = newestFirst(seeded.filter((e) => e.action === 'otp:generate' && e.result === 'denied'));

    // Act
    const { events, pageSizes } = await readAll({ from: ALL_FROM, to: ALL_TO, action: 'otp:generate', result: 'denied', limit: '5' });

    // Assess
    expect(expected.length).toBeGreaterThan(5);
    expect(ids(events)).toEqual(ids(expected));
    expect(pageSizes.every((n) => n <= 5)).toBe(true);
  });

  it('combines an index with a filter', async () => {
    // Prepare
    const expected = newestFirst(seeded.filter((e) => e.actor.principal === 'service:seed-bot' && e.result === 'error'));

    // Act
    const { events } = await readAll({ actor: 'service:seed-bot', result: 'error', limit: '3' });

    // Assess
    expect(expected.length).toBeGreaterThan(3);
    expect(ids(events)).toEqual(ids(expected));
  });

  it('searches the last 24 hours when searching by time alone without a range', async () => {
    // Act
    const res = await vault.call<AuditPageBody>('GET', '/v1/audit', { token: admin });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('byDay');
    expect(Date.parse(res.body.to as string) - Date.parse(res.body.from as string)).toBe(24 * 60 * MINUTE);
    expect(res.body.items.some((e) => e.operation === 'seeded')).toBe(false);
  });

  it('refuses a time walk of more than 31 days and says how to narrow it', async () => {
    // Act
    const res = await vault.call('GET', `/v1/audit?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z`, { token: admin });

    // Assess
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/at most 31 days apart/);
  });

  it('refuses a cursor with other filters, a forged cursor and a limit above 1000', async () => {
    // Prepare
    const first = await vault.call<AuditPageBody>('GET', '/v1/audit?actor=user:seed-alice&limit=2', { token: admin });

    // Act
    const other = await vault.call('GET', `/v1/audit?actor=user:seed-bob&cursor=${first.body.nextCursor as string}`, { token: admin });
    const forged = await vault.call('GET', '/v1/audit?actor=user:seed-alice&cursor=eyJ2IjoxfQ', { token: admin });
    const tooMany = await vault.call('GET', '/v1/audit?actor=user:seed-alice&limit=1001', { token: admin });

    // Assess
    expect(other.status).toBe(400);
    expect(other.text).toMatch(/cursor/);
    expect(forged.status).toBe(400);
    expect(tooMany.status).toBe(400);
  });
});

describe('GET /v1/audit/export', () => {
  it('exports a CSV with a header row, proper quoting and formulas defused', async () => {
    // Prepare
    const bot = newestFirst(seeded.filter((e) => e.actor.principal === 'service:seed-bot'));
    const alice = newestFirst(seeded.filter((e) => e.actor.principal === 'user:seed-alice'));

    // Act
    const botCsv = await fetchRaw(`/v1/audit/export?format=csv&from=${ALL_FROM}&to=${ALL_TO}&actor=service:seed-bot`);
    const aliceCsv = await fetchRaw('/v1/audit/export?actor=user:seed-alice');

    // Assess
    expect(botCsv.status).toBe(200);
    expect(botCsv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(botCsv.headers.get('content-disposition')).toBe('attachment; filename="otpvault-audit_20250303T000000Z_20250308T000000Z.csv"');
    const [header, ...rows] = parseCsv(botCsv.text) as [string[], ...string[][]];
    expect(header.slice(0, 3)).toEqual(['time', 'eventId', 'actor']);
    expect(rows.map((r) => r[1])).toEqual(ids(bot));
    const hostile = rows.find((r) => r[1] === seeded[5]?.eventId);
    expect(hostile?.[header.indexOf('reason')]).toBe(`'${HOSTILE_REASON}`);
    const [aliceHeader, ...aliceRows] = parseCsv(aliceCsv.text) as [string[], ...string[][]];
    expect(aliceRows.map((r) => r[1])).toEqual(ids(alice));
    const agent = aliceRows.find((r) => r[1] === seeded[6]?.eventId)?.[aliceHeader.indexOf('userAgent')];
    expect(agent).toBe("'@SUM(1+1)");
  });

  it('exports JSON Lines that read back as the events', async () => {
    // Prepare
    const expected = newestFirst(seeded.filter((e) => e.target.secretId === 'seed-secret-0001'));

    // Act
    const res = await fetchRaw('/v1/audit/export?format=jsonl&secretId=seed-secret-0001');

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="otpvault-audit_start_now\.jsonl"$/);
    const events = res.text.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEvent);
    expect(events).toEqual(expected);
  });
});

describe('GET /v1/audit/reconcile', () => {
  it('explains Decrypts made by audited requests and lists the one made around the API', async () => {
    // Prepare
    const from = new Date(Math.floor(Date.now() / 1000) * 1000 - 2000).toISOString();
    const created = await vault.call<{ id: string }>('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath('/reconcile'), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['rc-1', 'rc-2'] } },
    });
    const secretId = created.body.id;
    for (let i = 0; i < 3; i++) expect((await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: admin })).status).toBe(200);
    expect((await vault.call('POST', `/v1/secrets/${secretId}/recovery-codes/reveal`, { token: admin })).status).toBe(200);
    const meta = (await db.send(new GetCommand({ TableName: vault.stack.tableName(VAULT_TABLE), Key: ITEM.secret(secretId) }))).Item as { otp: { field: string; version: number } };
    const seed = (await db.send(new GetCommand({ TableName: vault.stack.tableName(VAULT_TABLE), Key: ITEM.seed(secretId) }))).Item as { ciphertext: Uint8Array };
    // Another identity of the local account, as an account admin would be in AWS.
    const kms = new KMSClient({ region: 'us-east-1', endpoint: vault.stack.kmsEndpoint, credentials: await ensureLocalCredentials(vault.stack.dataDir, 'intruder') });
    const rogue = await kms.send(
      new DecryptCommand({
        KeyId: vault.stack.seedKeyArn,
        CiphertextBlob: seed.ciphertext,
        EncryptionContext: encryptionContext({ secretId, field: meta.otp.field, part: `v${meta.otp.version}` }),
      }),
    );
    kms.destroy();
    // The local stack's stream poller runs the real consumer: outbox → audit table (and archive).
    await vault.stack.audit.flush();
    const to = new Date(Date.now() + 2000).toISOString();

    // Act
    const res = await vault.call<{ decrypts: number; explained: number; unexplained: Record<string, unknown>[] }>(
      'GET',
      `/v1/audit/reconcile?from=${from}&to=${to}`,
      { token: admin },
    );

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from, to, decrypts: 5, explained: 4 });
    expect(res.body.unexplained).toEqual([
      expect.objectContaining({
        secretId,
        field: meta.otp.field,
        part: `v${meta.otp.version}`,
        caller: expect.stringContaining('intruder') as unknown,
        requestId: rogue.$metadata.requestId,
      }),
    ]);
  });

  it('refuses a window longer than 24 hours and one without from and to', async () => {
    // Act
    const long = await vault.call('GET', '/v1/audit/reconcile?from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:01Z', { token: admin });
    const open = await vault.call('GET', '/v1/audit/reconcile', { token: admin });

    // Assess
    expect(long.status).toBe(400);
    expect(long.text).toMatch(/at most 24 hours apart/);
    expect(open.status).toBe(400);
  });
});
