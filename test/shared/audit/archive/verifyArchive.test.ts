import { jest } from '@jest/globals';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { gzipSync } from 'node:zlib';
import {
  eventObjectsFor,
  KmsDigestSigner,
  MAX_SEAL_LAG_DAYS,
  ORPHAN_ANNOUNCEMENT_MS,
  parseDigest,
  serializeDigest,
  sha256Hex,
  signedBytes,
  type DigestSigner,
} from '../../../../shared/audit/archive';
import type { AuditEvent } from '../../../../shared/audit/event';
import { MemoryArchiveStore } from '../memoryArchiveStore';
import { auditEvents, insertRecords, pipeline, startPipelineFixture, steppingClock, type PipelineFixture, type PipelineParts } from '../pipelineFixture';

// Digests and verification against DynamoDB Local (ledger) and the KMS emulator (signing key);
// the archive bucket is in memory so a test can tamper with it like an intruder would.
let fixture: PipelineFixture;

beforeAll(async () => {
  fixture = await startPipelineFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
});

const DAY = { from: '2026-11-27', to: '2026-11-27' };

interface Archive {
  store: MemoryArchiveStore;
  parts: PipelineParts;
  /** Object keys, one per batch, oldest first. */
  objects: string[];
  /** Digest keys, one per batch, oldest first. */
  digests: string[];
}

/** An archive built by the consumer from `batches` batches of 2 events, each sealed by the schedule: one object and one digest each. */
async function archiveOf(batches: number, options: { signer?: DigestSigner; now?: () => number } = {}): Promise<Archive> {
  const store = new MemoryArchiveStore();
  const parts = pipeline(fixture, await fixture.freshTable(), store, { now: steppingClock(), ...options });
  const events = auditEvents(batches * 2);
  for (let i = 0; i < batches; i++) {
    const result = await parts.consumer.consume(insertRecords(events.slice(i * 2, i * 2 + 2)));
    if (result.batchItemFailures.length > 0) throw new Error('the archive could not be built');
    // A batch signs at most once a minute; the schedule seals the rest, as it would between these batches.
    await parts.consumer.sealArchive();
  }
  return { store, parts, objects: store.keys('events/'), digests: store.keys('digests/') };
}

/** Rewrites a stored digest with `change` applied (the signature left as it was). */
async function tamperDigest(store: MemoryArchiveStore, key: string, change: (digest: NonNullable<ReturnType<typeof parseDigest>>) => void) {
  const digest = parseDigest((await store.get(key)) as Buffer);
  if (!digest) throw new Error(`${key} is not a digest`);
  change(digest);
  await store.put(key, serializeDigest(digest), { contentType: 'application/json' });
}

const kinds = (problems: { kind: string; key: string }[]) => problems.map(({ kind, key }) => ({ kind, key }));

describe('verifyArchive', () => {
  it('finds an untouched archive intact, digest by digest and object by object', async () => {
    // Prepare
    const archive = await archiveOf(3);
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(result).toEqual({ ok: true, ...DAY, checkedDigests: 3, checkedObjects: 3, searchedTo: DAY.to, pendingObjects: 0, unsealed: [], problems: [] });
    expect(archive.digests).toHaveLength(3);
    const digests = await Promise.all(archive.digests.map(async (key) => parseDigest((await archive.store.get(key)) as Buffer)));
    expect(digests.map((d) => d?.seq)).toEqual([1, 2, 3]);
    expect(digests[0]?.previous).toBeNull();
    expect(digests[1]?.previous?.key).toBe(archive.digests[0]);
    expect(digests[2]?.objects.map((o) => o.key)).toEqual([archive.objects[2]]);
    expect(digests[0]?.signature).toMatchObject({ keyId: fixture.signingKeyArn, algorithm: 'ECDSA_SHA_256', messageType: 'DIGEST' });
  });

  it('names an archive object whose bytes were replaced as altered', async () => {
    // Prepare
    const archive = await archiveOf(2);
    const victim = archive.objects[0] as string;
    const forged: AuditEvent[] = [];
    await archive.store.put(victim, gzipSync(JSON.stringify(forged)), { contentType: 'application/x-ndjson' });
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(result.ok).toBe(false);
    expect(kinds(result.problems)).toEqual([{ kind: 'altered', key: victim }]);
  });

  it('names a deleted archive object as removed', async () => {
    // Prepare
    const archive = await archiveOf(2);
    const victim = archive.objects[1] as string;
    archive.store.delete(victim);
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(kinds(result.problems)).toEqual([{ kind: 'removed', key: victim }]);
  });

  it('names an object no digest lists as inserted', async () => {
    // Prepare
    const archive = await archiveOf(1);
    const extra = 'events/yyyy=2026/mm=11/dd=27/01FORGED-01FORGED-0000000000000000.jsonl.gz';
    await archive.store.put(extra, gzipSync('{}\n'), { contentType: 'application/x-ndjson' });
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(kinds(result.problems)).toEqual([{ kind: 'inserted', key: extra }]);
  });

  it('keeps one chain, each object in one digest, when consumers of two shards seal at the same time', async () => {
    // Prepare: two writers (two shards' invocations) share the ledger and the bucket.
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const clock = steppingClock();
    const [a, b] = [pipeline(fixture, table, store, { now: clock }), pipeline(fixture, table, store, { now: clock })];
    const events = auditEvents(8);
    await a.writer.write(eventObjectsFor(events.slice(0, 4)));
    await b.writer.write(eventObjectsFor(events.slice(4)));
    // Act
    await Promise.all([a.writer.seal(), b.writer.seal(), a.writer.seal()]);
    // Assess
    const digests = await Promise.all(store.keys('digests/').map(async (key) => parseDigest((await store.get(key)) as Buffer)));
    const listed = digests.flatMap((digest) => digest?.objects.map((object) => object.key) ?? []);
    expect(listed.sort()).toEqual(store.keys('events/'));
    expect(digests.map((digest) => digest?.seq)).toEqual(digests.map((_, i) => i + 1));
    expect(await a.verify(DAY)).toMatchObject({ ok: true, checkedObjects: 2 });
  });

  it('names a digest whose content was edited as badly signed, and the next one as a broken chain link', async () => {
    // Prepare: the intruder points digest 2 at the forged hash of an object it replaced.
    const archive = await archiveOf(3);
    const [, middle, last] = archive.digests as [string, string, string];
    await tamperDigest(archive.store, middle, (digest) => {
      digest.objects[0]!.sha256 = 'f'.repeat(64);
    });
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(kinds(result.problems)).toEqual(
      expect.arrayContaining([
        { kind: 'badSignature', key: middle },
        { kind: 'brokenChain', key: last },
      ]),
    );
  });

  it('names a digest re-signed with another key as badly signed', async () => {
    // Prepare: a valid signature, but by a key the intruder controls.
    const archive = await archiveOf(2);
    const { KeyMetadata } = await fixture.kmsClient.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const intruder = new KmsDigestSigner(fixture.kmsClient, KeyMetadata?.Arn as string);
    const [first] = archive.digests as [string];
    const digest = parseDigest((await archive.store.get(first)) as Buffer);
    const resigned = { ...digest!, signature: await intruder.sign(signedBytes(digest!)) };
    await archive.store.put(first, serializeDigest(resigned), { contentType: 'application/json' });
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(result.problems).toContainEqual({ kind: 'badSignature', key: first, detail: expect.stringContaining('not by the audit signing key') });
  });

  it('names a digest removed from the middle of the chain', async () => {
    // Prepare
    const archive = await archiveOf(3);
    const [, middle] = archive.digests as [string, string];
    archive.store.delete(middle);
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(kinds(result.problems)).toContainEqual({ kind: 'removed', key: middle });
    expect(result.problems.map((p) => p.kind)).not.toContain('badSignature');
  });

  it('names the newest digest as removed when it is gone, which no later digest could reveal', async () => {
    // Prepare
    const archive = await archiveOf(2);
    const newest = archive.digests[1] as string;
    archive.store.delete(newest);
    // Act
    const result = await archive.parts.verify(DAY);
    // Assess
    expect(kinds(result.problems)).toContainEqual({ kind: 'removed', key: newest });
  });

  it('lists an uploaded object whose digest is still to come as not yet sealed, not inserted', async () => {
    // Prepare: the upload succeeds, the signing does not.
    const failing: DigestSigner = { sign: () => Promise.reject(new Error('injected: KMS unavailable')) };
    const store = new MemoryArchiveStore();
    const parts = pipeline(fixture, await fixture.freshTable(), store, { signer: failing, now: steppingClock() });
    await parts.consumer.consume(insertRecords(auditEvents(2)));
    // Act
    const result = await parts.verify(DAY);
    // Assess
    expect(result).toMatchObject({ ok: true, checkedDigests: 0, pendingObjects: 1, problems: [] });
    expect(result.unsealed).toEqual([{ key: store.keys('events/')[0], announcedAt: expect.stringMatching(/^2026-11-27T12:00/), overdue: false }]);
  });

  it('lists an object unsealed longer than any Lambda run as overdue, still not as inserted', async () => {
    // Prepare: the upload succeeds, the signing keeps failing.
    let now = Date.parse('2026-11-27T12:00:00.000Z');
    const failing: DigestSigner = { sign: () => Promise.reject(new Error('injected: KMS unavailable')) };
    const store = new MemoryArchiveStore();
    const parts = pipeline(fixture, await fixture.freshTable(), store, { signer: failing, now: () => now });
    await parts.consumer.consume(insertRecords(auditEvents(2)));
    // Act
    now += ORPHAN_ANNOUNCEMENT_MS + 1000;
    const result = await parts.verify(DAY);
    // Assess
    expect(result).toMatchObject({ ok: true, pendingObjects: 1, problems: [] });
    expect(result.unsealed).toEqual([{ key: store.keys('events/')[0], announcedAt: '2026-11-27T12:00:00.000Z', overdue: true }]);
  });

  it('names an unsealed object whose content is not what was announced as altered', async () => {
    // Prepare: the signing fails; then someone rewrites the uploaded object before any digest.
    const failing: DigestSigner = { sign: () => Promise.reject(new Error('injected: KMS unavailable')) };
    const store = new MemoryArchiveStore();
    const parts = pipeline(fixture, await fixture.freshTable(), store, { signer: failing });
    await parts.consumer.consume(insertRecords(auditEvents(2)));
    const [key] = store.keys('events/') as [string];
    await store.put(key, gzipSync('{"forged":true}\n'), { contentType: 'application/x-ndjson' });
    // Act
    const result = await parts.verify(DAY);
    // Assess
    expect(result).toMatchObject({ ok: false, pendingObjects: 0, unsealed: [] });
    expect(kinds(result.problems)).toEqual([{ kind: 'altered', key }]);
  });

  it('forgets an announcement whose upload never happened once it is older than any Lambda run', async () => {
    // Prepare: an object is announced, its upload fails for good.
    let now = Date.parse('2026-11-27T12:00:00.000Z');
    const table = await fixture.freshTable();
    const store = new MemoryArchiveStore();
    const parts = pipeline(fixture, table, store, { now: () => now });
    const put = jest.spyOn(store, 'put').mockRejectedValueOnce(new Error('injected: S3 unavailable'));
    await parts.consumer.consume(insertRecords(auditEvents(1)));
    put.mockRestore();
    const announcedBefore = (await parts.ledger.state()).pending.length;
    // Act
    now += ORPHAN_ANNOUNCEMENT_MS + 1000;
    await parts.writer.seal();
    // Assess
    expect(announcedBefore).toBe(1);
    expect((await parts.ledger.state()).pending).toEqual([]);
    expect(store.keys()).toEqual([]);
  });
});

describe('verifyArchive for events sealed after their day', () => {
  /** A batch of events just before midnight of 2026-11-27, consumed (and sealed) at `sealedAt`. */
  async function sealedAt(sealTime: string, options: { events?: number } = {}) {
    const store = new MemoryArchiveStore();
    const table = await fixture.freshTable();
    const parts = pipeline(fixture, table, store, { now: steppingClock(sealTime) });
    const events = auditEvents(options.events ?? 2, '2026-11-27T23:59:50.000Z');
    const result = await parts.consumer.consume(insertRecords(events));
    if (result.batchItemFailures.length > 0) throw new Error('the batch failed');
    return { store, parts, table };
  }

  it('finds the digest of the next day that seals day-D objects, and checks it', async () => {
    // Prepare: sealed 5 s after midnight, so the digest is dated the 28th.
    const { store, parts } = await sealedAt('2026-11-28T00:00:05.000Z');
    // Act
    const result = await parts.verify(DAY);
    // Assess
    expect(store.keys('digests/')).toEqual([expect.stringMatching(/^digests\/yyyy=2026\/mm=11\/dd=28\//)]);
    expect(result).toEqual({ ok: true, ...DAY, checkedDigests: 1, checkedObjects: 1, searchedTo: '2026-11-28', pendingObjects: 0, unsealed: [], problems: [] });
  });

  it('finds a digest written days later, after a sealing outage', async () => {
    // Prepare
    const { parts } = await sealedAt('2026-11-30T09:00:00.000Z');
    // Act
    const result = await parts.verify(DAY);
    // Assess
    expect(result).toMatchObject({ ok: true, checkedDigests: 1, checkedObjects: 1, searchedTo: '2026-11-30', problems: [] });
  });

  it('reads an object sealed more than MAX_SEAL_LAG_DAYS later as inserted, naming the days searched', async () => {
    // Prepare
    const late = new Date(Date.parse('2026-11-27T12:00:00.000Z') + (MAX_SEAL_LAG_DAYS + 1) * 86_400_000).toISOString();
    const { store, parts } = await sealedAt(late);
    // Act
    const result = await parts.verify(DAY);
    // Assess
    expect(result.problems).toEqual([{ kind: 'inserted', key: store.keys('events/')[0], detail: expect.stringContaining('from 2026-11-27 to 2026-12-04') }]);
  });

  it('checks the object a later digest vouches for: a changed one is altered', async () => {
    // Prepare
    const { store, parts } = await sealedAt('2026-11-28T00:00:05.000Z');
    const [key] = store.keys('events/') as [string];
    await store.put(key, gzipSync('{"forged":true}\n'), { contentType: 'application/x-ndjson' });
    // Act
    const result = await parts.verify(DAY);
    // Assess
    expect(kinds(result.problems)).toEqual([{ kind: 'altered', key }]);
  });

  it('does not take the word of a forged later digest: it is badly signed', async () => {
    // Prepare: an intruder adds an object of the 27th and a digest of the 28th listing it, signed by its own key.
    const { store, table } = await sealedAt('2026-11-27T23:59:55.000Z');
    const { KeyMetadata } = await fixture.kmsClient.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const intruder = new KmsDigestSigner(fixture.kmsClient, KeyMetadata?.Arn as string);
    const forged = 'events/yyyy=2026/mm=11/dd=27/01FORGED-01FORGED-0000000000000000.jsonl.gz';
    const body = gzipSync('{}\n');
    await store.put(forged, body, { contentType: 'application/x-ndjson' });
    const [real] = store.keys('digests/') as [string];
    const previous = { key: real, sha256: sha256Hex((await store.get(real)) as Buffer) };
    const key = 'digests/yyyy=2026/mm=11/dd=28/20261128T000001Z-0000000002.json';
    const payload = { version: 1 as const, seq: 2, key, time: '2026-11-28T00:00:01.000Z', previous, objects: [{ key: forged, sha256: sha256Hex(body), bytes: body.length, events: 1, firstEventId: '01FORGED', lastEventId: '01FORGED' }] };
    await store.put(key, serializeDigest({ ...payload, signature: await intruder.sign(signedBytes(payload)) }), { contentType: 'application/json' });
    // Act: verified the next morning.
    const result = await pipeline(fixture, table, store, { now: steppingClock('2026-11-28T08:00:00.000Z') }).verify(DAY);
    // Assess
    expect(kinds(result.problems)).toEqual([{ kind: 'badSignature', key }]);
  });

  it('verifies the day the digest was written on too', async () => {
    // Prepare
    const { parts } = await sealedAt('2026-11-28T00:00:05.000Z', { events: 20 });
    // Act
    const result = await parts.verify({ from: '2026-11-28', to: '2026-11-28' });
    // Assess
    expect(result).toMatchObject({ ok: true, checkedDigests: 1, checkedObjects: 2, searchedTo: '2026-11-28', problems: [] });
  });
});
