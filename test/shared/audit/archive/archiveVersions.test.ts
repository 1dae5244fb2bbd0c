import { gzipSync } from 'node:zlib';
import { KmsDigestSigner, parseDigest, serializeDigest, signedBytes } from '../../../../shared/audit/archive';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { MemoryArchiveStore } from '../memoryArchiveStore';
import { auditEvents, insertRecords, pipeline, startPipelineFixture, type PipelineFixture } from '../pipelineFixture';

// Object Lock keeps every version but a writer can still add one under an existing key; verify
// checks the first (sealed) version and names every key with more than one.
let fixture: PipelineFixture;

beforeAll(async () => {
  fixture = await startPipelineFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
});

const DAY = { from: '2026-11-27', to: '2026-11-27' };

function steppingClock(start = '2026-11-27T12:00:00.000Z'): () => number {
  let t = Date.parse(start);
  return () => (t += 1000);
}

async function archiveOf(batches: number) {
  const store = new MemoryArchiveStore();
  const parts = pipeline(fixture, await fixture.freshTable(), store, { now: steppingClock() });
  const events = auditEvents(batches * 2);
  for (let i = 0; i < batches; i++) {
    const result = await parts.consumer.consume(insertRecords(events.slice(i * 2, i * 2 + 2)));
    if (result.batchItemFailures.length > 0) throw new Error('the archive could not be built');
    // A batch signs at most once a minute; the schedule seals the rest, as it would between these batches.
    await parts.consumer.sealArchive();
  }
  return { store, parts, objects: store.keys('events/'), digests: store.keys('digests/') };
}

describe('verifyArchive and object versions', () => {
  it('verifies an object against its first version and names the key that got a second one', async () => {
    // Prepare: a new version replaces the events of the first object
    const archive = await archiveOf(2);
    const victim = archive.objects[0] as string;
    archive.store.putNewVersion(victim, gzipSync('[]'));

    // Act
    const result = await archive.parts.verify(DAY);

    // Assess: the sealed first version is intact, the overwrite is named
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ kind: 'overwritten', key: victim, detail: 'has 2 versions; verified against the first' }]);
  });

  it('names a digest replaced by a new version re-signed with another key, and still checks the first', async () => {
    // Prepare
    const archive = await archiveOf(2);
    const [first] = archive.digests as [string];
    const { KeyMetadata } = await fixture.kmsClient.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const intruder = new KmsDigestSigner(fixture.kmsClient, KeyMetadata?.Arn as string);
    const digest = parseDigest((await archive.store.get(first)) as Buffer)!;
    const forged = { ...digest, objects: [], signature: await intruder.sign(signedBytes({ ...digest, objects: [] })) };
    archive.store.putNewVersion(first, serializeDigest(forged));

    // Act
    const result = await archive.parts.verify(DAY);

    // Assess
    expect(result.problems).toEqual([{ kind: 'overwritten', key: first, detail: 'has 2 versions; verified against the first' }]);
    expect(result.checkedObjects).toBe(2);
  });
});
