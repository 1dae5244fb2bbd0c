import { jest } from '@jest/globals';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventObjectsFor, readEventObject, type DigestSigner } from '../../../../shared/audit/archive';
import { SEAL_INTERVAL_MS } from '../../../../shared/audit/archive/ArchiveWriter';
import { MemoryArchiveStore } from '../memoryArchiveStore';
import {
  archivedEventIds,
  auditEvent,
  auditEvents,
  auditItems,
  counts,
  insertRecords,
  localDocumentClient,
  once,
  pipeline,
  removeRecord,
  startPipelineFixture,
  type PipelineFixture,
} from '../pipelineFixture';

// The consumer against DynamoDB Local and the KMS emulator; the archive bucket is in memory.
// Mocks only inject faults; every behaviour is the real one.
let fixture: PipelineFixture;

beforeAll(async () => {
  fixture = await startPipelineFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
});

/** A document client whose `n`-th audit-table put (counting from 1) throws, once. */
function failingOnPut(n: number): DynamoDBDocumentClient {
  const db = localDocumentClient(fixture.dynamo.endpoint);
  const send = db.send.bind(db);
  let puts = 0;
  jest.spyOn(db, 'send').mockImplementation(((command: unknown) => {
    if (command instanceof PutCommand && command.input.ConditionExpression === 'attribute_not_exists(pk)' && ++puts === n) {
      return Promise.reject(Object.assign(new Error('injected: throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    }
    return send(command as Parameters<typeof send>[0]);
  }) as typeof db.send);
  return db;
}

const sequenceNumbers = (records: { dynamodb?: { SequenceNumber?: string } }[]) => records.map((r) => r.dynamodb?.SequenceNumber);

describe('the audit stream consumer', () => {
  it('writes each new event to the audit table with its index keys and to one archive object', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const { consumer } = pipeline(fixture, table, store);
    const aboutSecret = auditEvent('2026-11-27T10:00:00.000Z');
    const aboutNothing = auditEvent('2026-11-27T10:00:01.000Z', { target: {}, actor: { principal: 'anonymous', kind: 'anonymous', groups: [] } });
    // Act
    const result = await consumer.consume(insertRecords([aboutSecret, aboutNothing]));
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const items = await auditItems(fixture.db, table);
    const byId = Object.fromEntries(items.map((item) => [item.eventId as string, item]));
    expect(byId[aboutSecret.eventId]).toMatchObject({
      ...aboutSecret,
      pk: 'DAY#2026-11-27',
      sk: `2026-11-27T10:00:00.000Z#${aboutSecret.eventId}`,
      actorKey: 'user:alice',
      secretKey: 's-1',
      pathKey: '/a/b',
    });
    expect(byId[aboutNothing.eventId]).toMatchObject({ actorKey: 'anonymous' });
    expect(byId[aboutNothing.eventId]).not.toHaveProperty('secretKey');
    expect(byId[aboutNothing.eventId]).not.toHaveProperty('pathKey');
    expect(byId[aboutSecret.eventId]).not.toHaveProperty('expiresAt');
    const [key] = store.keys('events/');
    expect(store.keys('events/')).toHaveLength(1);
    expect(key).toMatch(new RegExp(`^events/yyyy=2026/mm=11/dd=27/${aboutSecret.eventId}-${aboutNothing.eventId}-[0-9a-f]{16}\\.jsonl\\.gz$`));
    expect(readEventObject((await store.get(key as string)) as Buffer).events).toEqual([aboutSecret, aboutNothing]);
  });

  it('writes nothing twice when the same batch is delivered again', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const { consumer } = pipeline(fixture, table, store);
    const events = auditEvents(5);
    const records = insertRecords(events);
    // Act
    const first = await consumer.consume(records);
    const replay = await consumer.consume(records);
    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(replay.batchItemFailures).toEqual([]);
    expect(counts((await auditItems(fixture.db, table)).map((item) => item.eventId as string))).toEqual(once(events));
    expect(counts(await archivedEventIds(store))).toEqual(once(events));
    expect(store.keys('events/')).toHaveLength(1);
    expect(store.puts.filter((key) => key.startsWith('events/'))).toHaveLength(1);
    expect(store.keys('digests/')).toHaveLength(1);
  });

  it('signs at most once per interval: a batch soon after a digest leaves its object for the schedule, a later one seals', async () => {
    // Prepare: a clock the test moves
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    let now = Date.parse('2026-11-27T10:00:00.000Z');
    const { consumer, ledger } = pipeline(fixture, table, store, { now: () => now });
    const events = auditEvents(6);
    // Act + Assess: the first batch has no digest before it, so it seals at once
    await consumer.consume(insertRecords(events.slice(0, 2)));
    expect(store.keys('digests/')).toHaveLength(1);
    // a batch 10 s later uploads its object but leaves it announced, unsealed
    now += 10_000;
    expect(await consumer.consume(insertRecords(events.slice(2, 4)))).toEqual({ batchItemFailures: [] });
    expect(store.keys('events/')).toHaveLength(2);
    expect(store.keys('digests/')).toHaveLength(1);
    expect((await ledger.state()).pending).toHaveLength(1);
    // the schedule seals it, whatever the interval
    await consumer.sealArchive();
    expect(store.keys('digests/')).toHaveLength(2);
    expect((await ledger.state()).pending).toHaveLength(0);
    // a batch a full interval after the newest digest seals at once
    now += SEAL_INTERVAL_MS;
    await consumer.consume(insertRecords(events.slice(4, 6)));
    expect(store.keys('digests/')).toHaveLength(3);
    expect((await ledger.state()).pending).toHaveLength(0);
    expect(counts(await archivedEventIds(store))).toEqual(once(events));
  });

  it('lets the schedule seal nothing when nothing waits: no signature, no digest', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const signs: Buffer[] = [];
    const signer: DigestSigner = {
      sign: async (message) => {
        signs.push(message);
        throw new Error('nothing should be signed');
      },
    };
    const { consumer } = pipeline(fixture, table, store, { signer });
    // Act
    await consumer.sealArchive();
    // Assess
    expect(signs).toHaveLength(0);
    expect(store.keys('digests/')).toHaveLength(0);
  });

  it('reports the record whose put failed and every later one, and a retry from there completes each event once', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const events = auditEvents(5);
    const records = insertRecords(events);
    const faulty = pipeline(fixture, table, store, { auditDb: failingOnPut(3) });
    // Act
    const first = await faulty.consumer.consume(records);
    const retry = await pipeline(fixture, table, store).consumer.consume(records.slice(2));
    // Assess
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(sequenceNumbers(records.slice(2)));
    expect(retry.batchItemFailures).toEqual([]);
    expect(counts((await auditItems(fixture.db, table)).map((item) => item.eventId as string))).toEqual(once(events));
    expect(counts(await archivedEventIds(store))).toEqual(once(events));
    expect((await pipeline(fixture, table, store).verify({ from: '2026-11-27', to: '2026-11-27' })).problems).toEqual([]);
  });

  it('archives each event once when a failed batch is retried in halves, as bisect-on-error does', async () => {
    // Prepare: the first attempt puts every event, then its archive upload fails.
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const events = auditEvents(6);
    const records = insertRecords(events);
    const put = jest.spyOn(store, 'put').mockRejectedValueOnce(new Error('injected: S3 unavailable'));
    const { consumer } = pipeline(fixture, table, store);
    // Act
    const failed = await consumer.consume(records);
    put.mockRestore();
    const firstHalf = await consumer.consume(records.slice(0, 3));
    const secondHalf = await consumer.consume(records.slice(3));
    // Assess
    expect(failed.batchItemFailures).toHaveLength(6);
    expect([firstHalf.batchItemFailures, secondHalf.batchItemFailures]).toEqual([[], []]);
    expect(counts(await archivedEventIds(store))).toEqual(once(events));
    expect(store.keys('events/')).toEqual([...eventObjectsFor(events.slice(0, 3)), ...eventObjectsFor(events.slice(3))].map((o) => o.key).sort());
    expect(counts((await auditItems(fixture.db, table)).map((item) => item.eventId as string))).toEqual(once(events));
  });

  it('archives each event once when the retried batch is longer than the failed one', async () => {
    // Prepare: events 0-2 are put, their upload fails; the retry also carries events 3-4.
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const events = auditEvents(5);
    const records = insertRecords(events);
    const put = jest.spyOn(store, 'put').mockRejectedValueOnce(new Error('injected: S3 unavailable'));
    const { consumer, verify } = pipeline(fixture, table, store);
    // Act
    await consumer.consume(records.slice(0, 3));
    put.mockRestore();
    const retry = await consumer.consume(records);
    // Assess
    expect(retry.batchItemFailures).toEqual([]);
    expect(counts(await archivedEventIds(store))).toEqual(once(events));
    expect(store.keys('events/')).toEqual(eventObjectsFor(events).map((o) => o.key));
    expect((await verify({ from: '2026-11-27', to: '2026-11-27' })).ok).toBe(true);
  });

  it('seals an uploaded object in a later run when signing failed after the upload', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const events = auditEvents(3);
    const records = insertRecords(events);
    const broken: DigestSigner = { sign: () => Promise.reject(new Error('injected: KMS unavailable')) };
    // Act
    const failed = await pipeline(fixture, table, store, { signer: broken }).consumer.consume(records);
    const { consumer, verify } = pipeline(fixture, table, store);
    const replay = await consumer.consume(records);
    // Assess
    expect(failed.batchItemFailures).toHaveLength(3);
    expect(replay.batchItemFailures).toEqual([]);
    expect(store.puts.filter((key) => key.startsWith('events/'))).toHaveLength(1);
    expect(store.keys('digests/')).toHaveLength(1);
    expect(await verify({ from: '2026-11-27', to: '2026-11-27' })).toMatchObject({ ok: true, checkedDigests: 1, checkedObjects: 1, pendingObjects: 0 });
  });

  it('ignores REMOVE records of outbox rows expiring', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const { consumer } = pipeline(fixture, table, store);
    const [event] = auditEvents(1);
    // Act
    const result = await consumer.consume([removeRecord('01OLDEVENT'), ...insertRecords([event!]), removeRecord(event!.eventId)]);
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect((await auditItems(fixture.db, table)).map((item) => item.eventId)).toEqual([event!.eventId]);
    expect(await archivedEventIds(store)).toEqual([event!.eventId]);
  });

  it('reports an unreadable record and every later one, after handling those before it', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const { consumer } = pipeline(fixture, table, store);
    const events = auditEvents(3);
    const records = insertRecords(events);
    const unreadable = { eventName: 'INSERT', dynamodb: { SequenceNumber: records[1]!.dynamodb!.SequenceNumber, NewImage: { eventId: { S: '' } } } };
    // Act
    const result = await consumer.consume([records[0]!, unreadable, records[2]!]);
    // Assess
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(sequenceNumbers([unreadable, records[2]!]));
    expect(await archivedEventIds(store)).toEqual([events[0]!.eventId]);
  });

  it('writes one archive object per UTC day for a batch that spans midnight', async () => {
    // Prepare
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const { consumer } = pipeline(fixture, table, store);
    const events = auditEvents(4, '2026-11-27T23:59:58.000Z');
    // Act
    const result = await consumer.consume(insertRecords(events));
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(store.keys('events/').map((key) => key.slice(0, 'events/yyyy=2026/mm=11/dd=27/'.length))).toEqual([
      'events/yyyy=2026/mm=11/dd=27/',
      'events/yyyy=2026/mm=11/dd=28/',
    ]);
    expect(counts(await archivedEventIds(store))).toEqual(once(events));
  });
});
