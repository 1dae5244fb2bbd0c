/**
 * The audit pipeline on real local services: DynamoDB Local for the audit table and ledger, the
 * KMS emulator for the signing key, and an in-memory archive bucket. Step helpers build outbox
 * stream records and read back what reached the table and the archive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { ensureLocalCredentials } from '../../../local/credentials';
import { ensureAuditSigningKey } from '../../../local/localKeys';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/dynamo';
import { ensureTables } from '../../../local/dynamoTables';
import { startKmsEmulator, type KmsEmulator } from '../../../local/kms';
import { ArchiveLedger, ArchiveWriter, KmsDigestSigner, KmsSignatureChecker, LEDGER_PARTITION, readEventObject, verifyArchive, type DigestSigner, type VerifyRange, type VerifyResult } from '../../../shared/audit/archive';
import { AuditLogWriter, AuditStreamConsumer, type StreamRecordLike } from '../../../shared/audit/consumer';
import type { AuditEvent } from '../../../shared/audit/event';
import { OUTBOX_RETENTION_SECONDS } from '../../../shared/audit/AuditOutbox';
import { createDocumentClient } from '../../../shared/aws/clients';
import { ulid } from '../../../shared/ids';
import { createLogger } from '../../../shared/log/logger';
import { AUDIT_TABLE } from '../../../shared/store/tables';
import { fixtureDynamoDb, type FixtureDynamoDb } from '../../helpers/sharedDynamoDb';
import { MemoryArchiveStore } from './memoryArchiveStore';

export interface PipelineFixture {
  dynamo: FixtureDynamoDb;
  kms: KmsEmulator;
  kmsClient: KMSClient;
  db: DynamoDBDocumentClient;
  signingKeyArn: string;
  /** A fresh audit table (its own ledger too) for one test. */
  freshTable(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPipelineFixture(): Promise<PipelineFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'otpvault-audit-'));
  const [dynamo, kms] = await Promise.all([fixtureDynamoDb(dataDir), startKmsEmulator({ dataDir })]);
  const credentials = await ensureLocalCredentials(dataDir);
  const signingKeyArn = await ensureAuditSigningKey(kms.endpoint, credentials);
  const kmsClient = new KMSClient({ region: LOCAL_REGION, endpoint: kms.endpoint, credentials });
  const db = localDocumentClient(dynamo.endpoint);
  let tables = 0;
  return {
    dynamo,
    kms,
    kmsClient,
    db,
    signingKeyArn,
    async freshTable() {
      const localName = dynamo.tableName(`audit-test-${++tables}`);
      await ensureTables(dynamo.endpoint, { tables: [{ ...AUDIT_TABLE, localName }] });
      return localName;
    },
    async stop() {
      db.destroy();
      kmsClient.destroy();
      await Promise.all([dynamo.stop(), kms.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A document client for DynamoDB Local, configured as the Lambdas configure theirs. */
export function localDocumentClient(endpoint: string): DynamoDBDocumentClient {
  process.env.AWS_ACCESS_KEY_ID ??= LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= LOCAL_CREDENTIALS.secretAccessKey;
  return createDocumentClient({ region: LOCAL_REGION, endpoints: { dynamoDb: endpoint } });
}

export interface PipelineParts {
  consumer: AuditStreamConsumer;
  writer: ArchiveWriter;
  ledger: ArchiveLedger;
  verify(range: VerifyRange): Promise<VerifyResult>;
}

/** A clock that starts at `start` and moves one second per reading (the default: 2026-11-27, noon UTC). */
export function steppingClock(start = '2026-11-27T12:00:00.000Z'): () => number {
  let t = Date.parse(start);
  return () => (t += 1000);
}

/**
 * The consumer and its collaborators for one table and store. `auditDb` replaces the client of the
 * audit-table writes (to inject a fault); `signer` the digest signer; `now` the clock (never the
 * real one: digests are dated by it, so a test on the real clock passes only on the day it was
 * written; by default a `steppingClock` on the day of `auditEvents`).
 */
export function pipeline(
  fixture: PipelineFixture,
  table: string,
  store: MemoryArchiveStore,
  options: { auditDb?: DynamoDBDocumentClient; signer?: DigestSigner; now?: () => number } = {},
): PipelineParts {
  const log = createLogger({ level: 'error', write: () => undefined });
  const ledger = new ArchiveLedger(fixture.db, table);
  const signer = options.signer ?? new KmsDigestSigner(fixture.kmsClient, fixture.signingKeyArn);
  const now = options.now ?? steppingClock();
  const writer = new ArchiveWriter(store, ledger, signer, { now }, log);
  const consumer = new AuditStreamConsumer(new AuditLogWriter(options.auditDb ?? fixture.db, table), writer, store, log);
  const checker = new KmsSignatureChecker(fixture.kmsClient, fixture.signingKeyArn);
  return { consumer, writer, ledger, verify: (range) => verifyArchive({ store, checker, ledger, now }, range) };
}

/** An audit event at `time`, about a secret unless told otherwise. */
export function auditEvent(time: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: ulid(Date.parse(time)),
    time,
    actor: { principal: 'user:alice', kind: 'user', groups: ['admins'] },
    action: 'otp:generate',
    operation: 'generateOtp',
    target: { secretId: 's-1', path: '/a/b' },
    result: 'allowed',
    reason: 'code generated',
    status: 200,
    source: { ip: '127.0.0.1', userAgent: 'jest' },
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    details: {},
    ...overrides,
  };
}

/** `count` events one second apart from `start`. */
export function auditEvents(count: number, start = '2026-11-27T10:00:00.000Z'): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => auditEvent(new Date(Date.parse(start) + i * 1000).toISOString()));
}

let sequence = 100_000_000_000_000_000_000n;

/** Stream records of new outbox rows, as Lambda delivers them, with increasing sequence numbers. */
export function insertRecords(events: readonly AuditEvent[]): StreamRecordLike[] {
  return events.map((event) => {
    const item = { ...event, expiresAt: Math.floor(Date.parse(event.time) / 1000) + OUTBOX_RETENTION_SECONDS };
    return {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: String(++sequence), Keys: marshall({ eventId: event.eventId }), NewImage: marshall(item, { removeUndefinedValues: true }) },
    };
  });
}

/** The record of TTL removing an outbox row. */
export function removeRecord(eventId: string): StreamRecordLike {
  return { eventName: 'REMOVE', dynamodb: { SequenceNumber: String(++sequence), NewImage: undefined, Keys: marshall({ eventId }) } as StreamRecordLike['dynamodb'] };
}

/** Audit items (not the ledger) in a table, by event id. */
export async function auditItems(db: DynamoDBDocumentClient, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(out.Items ?? []).filter((item) => item.pk !== LEDGER_PARTITION));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Event ids of every event in the archive's event objects (a doubled event shows up twice). */
export async function archivedEventIds(store: MemoryArchiveStore): Promise<string[]> {
  const ids: string[] = [];
  for (const key of store.keys('events/')) ids.push(...readEventObject((await store.get(key)) as Buffer).events.map((e) => e.eventId));
  return ids;
}

/** How often each id occurs. */
export function counts(ids: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of ids) out[id] = (out[id] ?? 0) + 1;
  return out;
}

/** `{ id: 1, ... }` for the given events: what "each exactly once" looks like. */
export function once(events: readonly AuditEvent[]): Record<string, number> {
  return Object.fromEntries(events.map((event) => [event.eventId, 1]));
}
