import type { ArchiveLedger, LedgerState } from './ArchiveLedger';
import type { ArchiveStore } from './ArchiveStore';
import { ORPHAN_ANNOUNCEMENT_MS } from './ArchiveWriter';
import { parseDigest, seqOfDigestKey, signedBytes, type Digest } from './digest';
import type { SignatureChecker } from './digestSigning';
import { readEventObject, sha256Hex } from './eventObject';
import { daysBetween, digestsPrefix, eventsPrefix, shiftDay, utcDay } from './keys';

/** UTC days to check, both included (`YYYY-MM-DD`). */
export interface VerifyRange {
  from: string;
  to: string;
}

export type ArchiveProblemKind = 'altered' | 'removed' | 'inserted' | 'badSignature' | 'brokenChain' | 'overwritten';

export interface ArchiveProblem {
  kind: ArchiveProblemKind;
  /** The object or digest concerned. */
  key: string;
  detail: string;
}

export interface VerifyResult {
  /** No evidence of tampering: no problem found. Objects not yet sealed are listed apart. */
  ok: boolean;
  from: string;
  to: string;
  /** Digests checked: those written on the days of the range, and later ones that seal objects of the range. */
  checkedDigests: number;
  checkedObjects: number;
  /** Last day whose digests were searched for objects of the range (`to`, or later when some were sealed after `to`). */
  searchedTo: string;
  /** How many objects of the range are not yet sealed (the length of `unsealed`). */
  pendingObjects: number;
  /**
   * Objects of the range uploaded and announced, holding the content they were announced with, but
   * in no digest yet: the consumer seals them in its next run. `overdue` when that should have
   * happened already (announced longer than `ORPHAN_ANNOUNCEMENT_MS` ago): sealing is failing.
   */
  unsealed: UnsealedObject[];
  problems: ArchiveProblem[];
}

export interface UnsealedObject {
  key: string;
  /** ISO time of its announcement. */
  announcedAt: string;
  overdue: boolean;
}

/**
 * Days past the end of a range whose digests are searched for objects of the range. The consumer
 * seals each object in the run that uploads it, so a digest normally follows its objects within
 * seconds; one of the next day (a batch across midnight, a retry) or days later (sealing failed
 * and no event came to retry it) is still found. An object sealed even later reads as inserted.
 */
export const MAX_SEAL_LAG_DAYS = 7;

interface LoadedDigest {
  key: string;
  seq: number;
  sha256: string;
  digest?: Digest;
}

export interface ArchiveVerifierDeps {
  store: ArchiveStore;
  checker: SignatureChecker;
  /** Knows the newest digest and the pending objects; without it, the end of the chain is not checked. */
  ledger?: Pick<ArchiveLedger, 'state'>;
  /** Epoch ms now (tests fix it). @default Date.now */
  now?: () => number;
}

/**
 * Checks the archive the way CloudTrail validates log files. For the digests written on the days
 * in the range: each is signed by the audit signing key (`badSignature`), each names the digest
 * before it by key and SHA-256 (`brokenChain`; a named digest that is gone is `removed`), and the
 * newest digest the ledger knows is present. Every event object of those days must be listed by a
 * digest: one of the range, or a later one (up to `MAX_SEAL_LAG_DAYS` past `to`, its signature
 * checked too) when the object was sealed after midnight. Every listed object must exist
 * (`removed`) with the same SHA-256 (`altered`). An object in no digest is either not yet sealed
 * (announced, content as announced: listed in `unsealed`) or `inserted`. Objects and digests are
 * read at their first version (the one sealed); a key with more than one is `overwritten`.
 *
 * @param deps - Archive store, signature checker and (optionally) the ledger.
 * @param range - UTC days, both included.
 * @example
 * const result = await verifyArchive({ store, checker, ledger }, { from: '2026-11-01', to: '2026-11-27' });
 * if (!result.ok) console.log(result.problems);
 */
export async function verifyArchive(deps: ArchiveVerifierDeps, range: VerifyRange): Promise<VerifyResult> {
  const problems: ArchiveProblem[] = [];
  const days = daysBetween(range.from, range.to);
  // The event objects are listed before the ledger is read: an object is announced before it is
  // uploaded, so each one listed is, when the ledger is read, pending there or sealed by its head.
  // (Read the other way round, an object written in between looked inserted.)
  const eventKeys: string[] = [];
  for (const day of days) eventKeys.push(...(await deps.store.list(eventsPrefix(day))));
  const ledger: LedgerState = deps.ledger ? await deps.ledger.state() : { pending: [] };
  const now = (deps.now ?? Date.now)();

  const digests = await loadDigests(deps.store, days, problems);
  await addHeadJustWritten(deps.store, ledger, digests, days, problems);
  for (const loaded of digests) await checkDigest(deps.checker, loaded, problems);
  await checkChain(deps.store, digests, problems);
  checkHead(ledger, digests, days, problems);

  // Objects the digests in range vouch for.
  const vouched = new Map<string, string>();
  for (const { digest } of digests) for (const object of digest?.objects ?? []) vouched.set(object.key, object.sha256);

  // Objects of these days no digest of the range vouches for: look for them in later digests.
  const unvouched = new Set(eventKeys.filter((key) => !vouched.has(key)));
  const later = await sealedLater(deps, unvouched, range.to, lastDigestDay(ledger, now), problems);
  for (const [key, sha256] of later.vouched) vouched.set(key, sha256);

  // Each vouched object must be there, unchanged.
  let checkedObjects = 0;
  for (const [key, sha256] of vouched) {
    checkedObjects++;
    // The first version is the one sealed; any later one is an overwrite (refused by the bucket).
    const first = await deps.store.firstVersion(key);
    const body = first?.body;
    if (first && first.versions > 1) problems.push(overwritten(key, first.versions));
    if (!body) problems.push({ kind: 'removed', key, detail: 'listed in a digest but missing from the archive' });
    else if (sha256Hex(body) !== sha256) problems.push({ kind: 'altered', key, detail: `SHA-256 is ${sha256Hex(body)}, the digest says ${sha256}` });
  }

  // What no digest vouches for was announced and awaits its digest, or was put there by someone else.
  const announced = new Map(ledger.pending.map((object) => [object.key, object]));
  const unsealed: UnsealedObject[] = [];
  for (const key of unvouched) {
    if (later.vouched.has(key)) continue;
    const pending = announced.get(key);
    if (!pending) {
      problems.push({ kind: 'inserted', key, detail: `in the archive but in no digest written from ${range.from} to ${later.searchedTo}` });
      continue;
    }
    const since = new Date(pending.announcedAt).toISOString();
    const content = await contentSha256Of(deps.store, key, problems);
    if (content !== pending.contentSha256) {
      problems.push({ kind: 'altered', key, detail: `not yet sealed, and its content is not what was announced at ${since}` });
    } else unsealed.push({ key, announcedAt: since, overdue: now - pending.announcedAt > ORPHAN_ANNOUNCEMENT_MS });
  }

  return {
    ok: problems.length === 0,
    from: range.from,
    to: range.to,
    checkedDigests: digests.length + later.digests,
    checkedObjects,
    searchedTo: later.searchedTo,
    pendingObjects: unsealed.length,
    unsealed,
    problems,
  };
}

/**
 * Searches the digests of the days after `to` (up to `MAX_SEAL_LAG_DAYS`, never past the newest
 * digest) for the objects in `wanted`, stopping once all are found. A digest that vouches for one
 * must be signed by the audit key; its place in the chain is checked when its own day is verified.
 */
async function sealedLater(
  deps: ArchiveVerifierDeps,
  wanted: ReadonlySet<string>,
  to: string,
  lastDay: string,
  problems: ArchiveProblem[],
): Promise<{ vouched: Map<string, string>; digests: number; searchedTo: string }> {
  const vouched = new Map<string, string>();
  let digests = 0;
  let searchedTo = to;
  for (let lag = 1; lag <= MAX_SEAL_LAG_DAYS && vouched.size < wanted.size; lag++) {
    const day = shiftDay(to, lag);
    if (day > lastDay) break;
    searchedTo = day;
    for (const loaded of await loadDigests(deps.store, [day])) {
      const objects = (loaded.digest?.objects ?? []).filter((object) => wanted.has(object.key));
      if (objects.length === 0) continue;
      digests++;
      await checkDigest(deps.checker, loaded, problems);
      for (const object of objects) vouched.set(object.key, object.sha256);
    }
  }
  return { vouched, digests, searchedTo };
}

/** The last day a digest can have been written on: today, or the newest digest's day if later (clock skew). */
function lastDigestDay(ledger: LedgerState, now: number): string {
  const today = utcDay(now);
  const headDay = ledger.head ? utcDay(ledger.head.time) : today;
  return headDay > today ? headDay : today;
}

/** SHA-256 of an event object's uncompressed content (first version), or undefined when it is gone or unreadable. */
async function contentSha256Of(store: ArchiveStore, key: string, problems: ArchiveProblem[]): Promise<string | undefined> {
  // Its first version is the one the consumer announced; a later one is an overwrite.
  const first = await store.firstVersion(key);
  if (first && first.versions > 1) problems.push(overwritten(key, first.versions));
  const body = first?.body;
  if (!body) return undefined;
  try {
    return readEventObject(body).contentSha256;
  } catch {
    return undefined;
  }
}

/** The digests written on `days`, in chain order. */
async function loadDigests(store: ArchiveStore, days: readonly string[], problems: ArchiveProblem[] = []): Promise<LoadedDigest[]> {
  const loaded: LoadedDigest[] = [];
  for (const day of days) {
    for (const key of await store.list(digestsPrefix(day))) {
      const first = await store.firstVersion(key);
      if (!first) continue;
      if (first.versions > 1) problems.push(overwritten(key, first.versions));
      const body = first.body;
      const digest = parseDigest(body);
      loaded.push({ key, seq: digest?.seq ?? seqOfDigestKey(key) ?? 0, sha256: sha256Hex(body), digest });
    }
  }
  return loaded.sort((a, b) => a.seq - b.seq || (a.key < b.key ? -1 : 1));
}

function overwritten(key: string, versions: number): ArchiveProblem {
  return { kind: 'overwritten', key, detail: `has ${versions} versions; verified against the first` };
}

async function checkDigest(checker: SignatureChecker, loaded: LoadedDigest, problems: ArchiveProblem[]): Promise<void> {
  const { key, digest } = loaded;
  if (!digest) {
    problems.push({ kind: 'badSignature', key, detail: 'not a readable digest document' });
    return;
  }
  const { valid, detail } = await checker.check(signedBytes(digest), digest.signature);
  if (!valid) problems.push({ kind: 'badSignature', key, detail });
  if (digest.key !== key) problems.push({ kind: 'inserted', key, detail: `a copy of digest ${digest.key}` });
}

/** Each digest must name the one before it; the first in range is checked against its predecessor outside the range. */
async function checkChain(store: ArchiveStore, digests: readonly LoadedDigest[], problems: ArchiveProblem[]): Promise<void> {
  const byKey = new Map(digests.map((loaded) => [loaded.key, loaded]));
  for (const [index, loaded] of digests.entries()) {
    const digest = loaded.digest;
    if (!digest) continue;
    const before = index > 0 ? digests[index - 1] : undefined;
    if (digest.previous === null) {
      if (digest.seq !== 1 || before) problems.push({ kind: 'brokenChain', key: loaded.key, detail: 'names no previous digest but is not the first' });
      continue;
    }
    const named = byKey.get(digest.previous.key) ?? (await loadOne(store, digest.previous.key));
    if (!named) {
      problems.push({ kind: 'removed', key: digest.previous.key, detail: `digest ${loaded.key} names it as the previous digest, but it is missing` });
      continue;
    }
    if (named.sha256 !== digest.previous.sha256) {
      problems.push({
        kind: 'brokenChain',
        key: loaded.key,
        detail: `names ${digest.previous.key} with SHA-256 ${digest.previous.sha256}, but that digest's SHA-256 is ${named.sha256}`,
      });
    }
    if (before && before.key !== named.key) {
      problems.push({ kind: 'brokenChain', key: loaded.key, detail: `follows ${before.key} in the archive but names ${digest.previous.key}` });
    }
  }
}

/**
 * The writer records a digest in the ledger, then uploads it: a head the listing missed may have
 * been uploaded since. It is read once more by key and, if there, checked like the others.
 */
async function addHeadJustWritten(
  store: ArchiveStore,
  ledger: LedgerState,
  digests: LoadedDigest[],
  days: readonly string[],
  problems: ArchiveProblem[],
): Promise<void> {
  const head = ledger.head;
  if (!head || !days.includes(utcDay(head.time)) || digests.some((loaded) => loaded.key === head.key)) return;
  const first = await store.firstVersion(head.key);
  if (!first) return;
  if (first.versions > 1) problems.push(overwritten(head.key, first.versions));
  const digest = parseDigest(first.body);
  digests.push({ key: head.key, seq: digest?.seq ?? seqOfDigestKey(head.key) ?? 0, sha256: sha256Hex(first.body), digest });
  digests.sort((a, b) => a.seq - b.seq || (a.key < b.key ? -1 : 1));
}

/** The newest digest the ledger knows of must be in the archive if it was written on one of these days. */
function checkHead(ledger: LedgerState, digests: readonly LoadedDigest[], days: readonly string[], problems: ArchiveProblem[]): void {
  const head = ledger.head;
  if (!head || !days.includes(utcDay(head.time))) return;
  const stored = digests.find((loaded) => loaded.key === head.key);
  if (!stored) problems.push({ kind: 'removed', key: head.key, detail: 'the newest digest (per the ledger) is missing' });
  else if (stored.sha256 !== head.sha256) problems.push({ kind: 'altered', key: head.key, detail: 'the newest digest differs from the one the ledger recorded' });
}

async function loadOne(store: ArchiveStore, key: string): Promise<LoadedDigest | undefined> {
  const body = await store.get(key);
  if (!body) return undefined;
  const digest = parseDigest(body);
  return { key, seq: digest?.seq ?? seqOfDigestKey(key) ?? 0, sha256: sha256Hex(body), digest };
}
