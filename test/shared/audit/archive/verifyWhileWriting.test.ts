import { eventObjectsFor, KmsSignatureChecker, verifyArchive, type ArchiveLedger } from '../../../../shared/audit/archive';
import { MemoryArchiveStore } from '../memoryArchiveStore';
import { auditEvents, insertRecords, pipeline, startPipelineFixture, type PipelineFixture } from '../pipelineFixture';

// The consumer keeps archiving while someone verifies (the verify request is itself audited):
// what it writes meanwhile is work in progress, never tampering.
let fixture: PipelineFixture;

beforeAll(async () => {
  fixture = await startPipelineFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
});

const DAY = { from: '2026-11-27', to: '2026-11-27' };
const NOW = Date.parse('2026-11-27T12:00:00.000Z');

describe('verifyArchive while the consumer writes', () => {
  it('does not call an object inserted when it was announced and uploaded after the ledger was read', async () => {
    // Prepare: one sealed batch; the next is announced and uploaded right after verify reads the ledger.
    const store = new MemoryArchiveStore();
    const parts = pipeline(fixture, await fixture.freshTable(), store, { now: () => NOW });
    const events = auditEvents(4);
    await parts.consumer.consume(insertRecords(events.slice(0, 2)));
    const ledger: Pick<ArchiveLedger, 'state'> = {
      state: async () => {
        const state = await parts.ledger.state();
        await parts.writer.write(eventObjectsFor(events.slice(2)));
        return state;
      },
    };
    const checker = new KmsSignatureChecker(fixture.kmsClient, fixture.signingKeyArn);

    // Act
    const result = await verifyArchive({ store, checker, ledger, now: () => NOW }, DAY);

    // Assess: the late object was not listed yet; the next verification finds it pending.
    expect(result).toMatchObject({ ok: true, problems: [], checkedDigests: 1 });
    expect(await verifyArchive({ store, checker, ledger: parts.ledger, now: () => NOW }, DAY)).toMatchObject({ ok: true, pendingObjects: 1 });
  });

  it('checks a digest the ledger records but the listing missed, uploaded just after it', async () => {
    // Prepare: the newest digest reaches the bucket between the digest listing and the end of the check.
    const store = new MemoryArchiveStore();
    const parts = pipeline(fixture, await fixture.freshTable(), store, { now: () => NOW });
    await parts.consumer.consume(insertRecords(auditEvents(2)));
    const [head] = store.keys('digests/');
    const body = (await store.get(head as string)) as Buffer;
    store.delete(head as string);
    const list = store.list.bind(store);
    store.list = async (prefix) => {
      const keys = await list(prefix);
      if (prefix.startsWith('digests/') && !store.objects.has(head as string)) {
        await store.put(head as string, body, { contentType: 'application/json' });
      }
      return keys;
    };
    const checker = new KmsSignatureChecker(fixture.kmsClient, fixture.signingKeyArn);

    // Act
    const result = await verifyArchive({ store, checker, ledger: parts.ledger, now: () => NOW }, DAY);

    // Assess
    expect(result).toMatchObject({ ok: true, problems: [], checkedDigests: 1, checkedObjects: 1 });
  });
});
