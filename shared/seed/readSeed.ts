import { InvalidInputError } from '../errors';
import { chooseSeed, type SeedCandidate } from './choice';
import { decodeMigrationUri, migrationEntryToSeed, migrationLabel } from './migration';
import { parseOtpauthUri } from './otpauthUri';
import { imageFromBase64, seedUrisFromQrTexts, type QrReader } from './qrImage';
import { seedFromSetupKey } from './setupKey';
import type { Seed, SeedInput } from './types';
import { uriScheme } from './uriParts';
import { verifySeed } from './verifyCode';

export interface ReadSeedDeps {
  /**
   * Loads the QR decoder. Default: `import('./qr')`, loaded on the first picture only, so that functions
   * reading URIs or setup keys (and everything importing the route table) never load the image decoders.
   */
  loadQrReader(): Promise<QrReader>;
}

const defaultDeps: ReadSeedDeps = { loadQrReader: () => import('./qr') };

/** The accounts a URI offers: one for otpauth://, each entry for otpauth-migration://. */
function candidatesFromUri(uri: string): { candidates: SeedCandidate[]; note: string } {
  if (uriScheme(uri) !== 'otpauth-migration') {
    const seed = parseOtpauthUri(uri);
    return { candidates: [{ issuer: seed.params.issuer, account: seed.params.account, toSeed: () => seed }], note: '' };
  }
  const payload = decodeMigrationUri(uri);
  const note =
    payload.batchSize > 1 ? `this is part ${payload.batchIndex + 1} of ${payload.batchSize} of the export; the other parts hold other accounts` : '';
  const candidates = payload.entries.map((entry, i) => ({ ...migrationLabel(entry), toSeed: () => migrationEntryToSeed(entry, i + 1) }));
  return { candidates, note };
}

function candidatesFromUris(uris: readonly string[]): { candidates: SeedCandidate[]; note: string } {
  const read = uris.map(candidatesFromUri);
  return { candidates: read.flatMap((r) => r.candidates), note: read.map((r) => r.note).filter((n) => n !== '').join('; ') };
}

async function urisFromPicture(qrImage: string, deps: ReadSeedDeps): Promise<string[]> {
  const qr = await deps.loadQrReader();
  const image = imageFromBase64(qrImage, qr.QR_LIMITS.maxImageBytes);
  return seedUrisFromQrTexts(await qr.decodeQrTexts(image));
}

function checkShape(input: SeedInput): void {
  const given = (['uri', 'setupKey', 'qrImage'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) throw new InvalidInputError('give exactly one of uri, setupKey or qrImage', { fields: given });
  const key = given[0];
  if (typeof input[key] !== 'string') throw new InvalidInputError(`${key} must be a string`, { field: key });
  if (input.verifyCode !== undefined && typeof input.verifyCode !== 'string') {
    throw new InvalidInputError('verifyCode must be a string (leading zeros matter)', { field: 'verifyCode' });
  }
}

/**
 * Turns what a user pasted, typed or photographed into a seed, refusing anything unusable with a sentence
 * that never quotes a key, URI or code:
 * - `uri`: an otpauth:// key URI, or a Google Authenticator export (otpauth-migration://) with one
 *   account, or with several and `entry` choosing one (without it, the error lists them);
 * - `setupKey`: base32 key plus the parameters the service states;
 * - `qrImage`: base64 PNG/JPEG; the QR codes that hold seed URIs are read as above.
 * With `verifyCode`, the code the device shows must match (see `verifySeed`).
 *
 * @param input - one of the three input shapes (see `SeedInputSchema`)
 * @param nowMs - milliseconds since the Unix epoch, for `verifyCode`
 * @param deps - the QR decoder loader; tests pass a fake
 * @example
 * const seed = await readSeed({ uri: 'otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP' }, Date.now());
 */
export async function readSeed(input: SeedInput, nowMs: number, deps: ReadSeedDeps = defaultDeps): Promise<Seed> {
  checkShape(input);
  let seed: Seed;
  if (input.setupKey !== undefined) {
    seed = seedFromSetupKey(input);
  } else {
    const uris = input.uri !== undefined ? [input.uri] : await urisFromPicture(input.qrImage, deps);
    const { candidates, note } = candidatesFromUris(uris);
    seed = chooseSeed(candidates, input.entry, note);
  }
  return input.verifyCode === undefined ? seed : verifySeed(seed, input.verifyCode, nowMs);
}
