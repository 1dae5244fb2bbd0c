import { InvalidSeedError } from '../errors';
import { keyLengthProblem, OTP_DEFAULTS, OTP_LIMITS, type OtpAlgorithm, type OtpParams, type OtpType } from '../otp';
import { SEED_LIMITS } from './limits';
import { ProtobufError, readFields, type ProtoField } from './protobuf';
import { parseQuery } from './query';
import type { Seed } from './types';
import { splitUri } from './uriParts';

/*
 * Google Authenticator "Transfer accounts" exports: otpauth-migration://offline?data=<base64 protobuf>.
 * Schema (reverse-engineered, see /work/shared/corpus/migration-uris.json): MigrationPayload {1 repeated
 * OtpParameters, 2 version, 3 batch_size, 4 batch_index, 5 batch_id}; OtpParameters {1 secret bytes,
 * 2 name, 3 issuer, 4 algorithm, 5 digits, 6 type, 7 counter, 8 unique_id}.
 *
 * Policy:
 * - The scheme is case-insensitive (RFC 3986), so `otpauth-MIGRATION://` is read (corpus
 *   `jcallahan-uppercase-scheme`; upstream refuses it). The host must be `offline`.
 * - `data` is taken raw and percent-decoded without turning `+` into a space (it is a base64 character).
 *   A space found there can only be a `+` that something form-decoded, so it is read back as `+`. The
 *   URL-safe alphabet (`-`, `_`) is accepted too; padding is optional.
 * - No `data`, empty `data` or a payload without accounts decode to an empty list ("nothing to import").
 *   A damaged payload (bad base64, a length running past the end...) is refused as a whole, never
 *   partially imported.
 * - UNSPECIFIED algorithm means SHA1 and UNSPECIFIED digits means 6 (what the app does); an UNSPECIFIED
 *   type is read as TOTP, the app's default and by far the common case (a `verifyCode` catches a wrong
 *   guess). MD5 and unknown enum values make that account unusable: `migrationEntryToSeed` refuses it,
 *   naming the account, while the other accounts of the export stay usable.
 * - The period is always 30 s (the format has no field for it).
 * - The account is `name` without its `Issuer:` prefix, stripped only when the prefix equals `issuer`.
 */

/** One account of an export, as encoded (enums as numbers, see the schema above). */
export interface MigrationEntry {
  secret: Uint8Array;
  name: string;
  issuer: string;
  /** 0 UNSPECIFIED, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5. */
  algorithm: number;
  /** 0 UNSPECIFIED, 1 SIX, 2 EIGHT. */
  digits: number;
  /** 0 UNSPECIFIED, 1 HOTP, 2 TOTP. */
  type: number;
  counter: bigint;
}

export interface MigrationPayload {
  entries: MigrationEntry[];
  version: number;
  /** Number of QR codes the export was split into (0 or 1: one). */
  batchSize: number;
  /** 0-based position of this QR code in the export. */
  batchIndex: number;
  batchId: number;
}

const ALGORITHMS: Readonly<Record<number, OtpAlgorithm>> = { 0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512' };
const DIGITS: Readonly<Record<number, number>> = { 0: 6, 1: 6, 2: 8 };
const TYPES: Readonly<Record<number, OtpType>> = { 0: 'totp', 1: 'hotp', 2: 'totp' };

const damaged = (why: string): InvalidSeedError =>
  new InvalidSeedError(`the Google Authenticator export is damaged (${why}): scan or copy it again`, { field: 'uri' });

/**
 * Decodes an `otpauth-migration://offline?data=...` URI into its raw entries (no policy on the entries).
 *
 * @param uri - the export URI as scanned or pasted
 * @example
 * decodeMigrationUri('otpauth-migration://offline?data=EAEYACAAKOfg%2B%2FgC').entries; // []
 */
export function decodeMigrationUri(uri: string): MigrationPayload {
  const parts = splitUri(uri, SEED_LIMITS.maxMigrationUriLength, 'uri');
  if (parts.scheme !== 'otpauth-migration') throw new InvalidSeedError('not an otpauth-migration:// URI', { field: 'uri' });
  if (parts.authority.toLowerCase() !== 'offline' || (parts.path !== '' && parts.path !== '/')) {
    throw new InvalidSeedError('a Google Authenticator export looks like otpauth-migration://offline?data=...', { field: 'uri' });
  }
  const data = parseQuery(parts.query ?? '', ['data'], { plusIsSpace: false, field: 'uri' }).get('data') ?? '';
  const empty: MigrationPayload = { entries: [], version: 0, batchSize: 0, batchIndex: 0, batchId: 0 };
  if (data === '') return empty;
  try {
    return decodePayload(base64Bytes(data));
  } catch (error) {
    if (error instanceof ProtobufError) throw damaged(error.message);
    throw error;
  }
}

function base64Bytes(data: string): Uint8Array {
  const text = data.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) throw damaged('its data is not base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

const int32 = (value: bigint): number => Number(BigInt.asIntN(32, value));

function varintOf(f: ProtoField): bigint {
  if (f.wireType !== 0) throw damaged(`field ${f.field} has the wrong wire type`);
  return f.value;
}

function bytesOf(f: ProtoField): Uint8Array {
  if (f.wireType !== 2) throw damaged(`field ${f.field} has the wrong wire type`);
  return f.bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function textOf(f: ProtoField): string {
  try {
    return utf8.decode(bytesOf(f));
  } catch (error) {
    if (error instanceof InvalidSeedError) throw error;
    throw damaged('a name is not UTF-8');
  }
}

function decodePayload(bytes: Uint8Array): MigrationPayload {
  const payload: MigrationPayload = { entries: [], version: 0, batchSize: 0, batchIndex: 0, batchId: 0 };
  for (const f of readFields(bytes)) {
    if (f.field === 1) payload.entries.push(decodeEntry(bytesOf(f)));
    else if (f.field === 2) payload.version = int32(varintOf(f));
    else if (f.field === 3) payload.batchSize = int32(varintOf(f));
    else if (f.field === 4) payload.batchIndex = int32(varintOf(f));
    else if (f.field === 5) payload.batchId = int32(varintOf(f));
  }
  return payload;
}

function decodeEntry(bytes: Uint8Array): MigrationEntry {
  const entry: MigrationEntry = { secret: new Uint8Array(0), name: '', issuer: '', algorithm: 0, digits: 0, type: 0, counter: 0n };
  for (const f of readFields(bytes)) {
    if (f.field === 1) entry.secret = Uint8Array.from(bytesOf(f));
    else if (f.field === 2) entry.name = textOf(f);
    else if (f.field === 3) entry.issuer = textOf(f);
    else if (f.field === 4) entry.algorithm = int32(varintOf(f));
    else if (f.field === 5) entry.digits = int32(varintOf(f));
    else if (f.field === 6) entry.type = int32(varintOf(f));
    else if (f.field === 7) entry.counter = BigInt.asUintN(64, varintOf(f));
  }
  return entry;
}

/**
 * The issuer and account an entry will get: `name` loses its `Issuer:` prefix only when that prefix
 * equals `issuer`.
 *
 * @param entry - a decoded entry
 * @example
 * migrationLabel({ ...entry, name: 'Example:alice@google.com', issuer: 'Example' }); // { issuer: 'Example', account: 'alice@google.com' }
 */
export function migrationLabel(entry: Pick<MigrationEntry, 'name' | 'issuer'>): { issuer: string; account: string } {
  const issuer = entry.issuer.trim();
  const name = entry.name.trim();
  const account = issuer !== '' && name.startsWith(`${issuer}:`) ? name.slice(issuer.length + 1).trim() : name;
  return { issuer, account };
}

/**
 * Turns one export entry into a seed, refusing what the vault cannot compute (MD5, unknown values).
 *
 * @param entry - a decoded entry
 * @param position - its 1-based position in the export, for error messages
 * @example
 * migrationEntryToSeed(decodeMigrationUri(uri).entries[0], 1).params.algorithm; // 'SHA1'
 */
export function migrationEntryToSeed(entry: MigrationEntry, position: number): Seed {
  const { issuer, account } = migrationLabel(entry);
  const which = `account ${position} of the export`;
  const refuse = (why: string): InvalidSeedError => new InvalidSeedError(`${which} cannot be used: ${why}`, { field: 'uri', entry: position });
  const algorithm = ALGORITHMS[entry.algorithm];
  if (algorithm === undefined) throw refuse(entry.algorithm === 4 ? 'it uses MD5, which the vault does not support' : 'its algorithm is unknown');
  const digits = DIGITS[entry.digits];
  if (digits === undefined) throw refuse('its number of digits is unknown');
  const type = TYPES[entry.type];
  if (type === undefined) throw refuse('its type is neither TOTP nor HOTP');
  const keyProblem = keyLengthProblem(entry.secret);
  if (keyProblem !== undefined) throw refuse(keyProblem);
  if (type === 'hotp' && entry.counter > BigInt(OTP_LIMITS.counter.max)) throw refuse('its counter is above 2^53 - 1');
  const params: OtpParams = {
    type,
    algorithm,
    digits,
    period: OTP_DEFAULTS.period,
    counter: type === 'hotp' ? Number(entry.counter) : 0,
    issuer,
    account,
  };
  return { key: Uint8Array.from(entry.secret), params };
}

/**
 * Reads every account of a Google Authenticator export. An empty export gives `[]`; a damaged one, or
 * one with an account the vault cannot use, is refused (`readSeed` instead lets the caller pick one).
 *
 * @param uri - `otpauth-migration://offline?data=...`
 * @example
 * parseMigrationUri('otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC')[0]?.params.account;
 * // 'alice@google.com'
 */
export function parseMigrationUri(uri: string): Seed[] {
  return decodeMigrationUri(uri).entries.map((entry, i) => migrationEntryToSeed(entry, i + 1));
}
