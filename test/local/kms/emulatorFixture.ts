/**
 * Starts an emulator on a fresh data directory and hands out real SDK clients pointed at it, plus
 * the small steps the scenarios chain (create a key, encrypt, decrypt).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, type KeyMetadata } from '@aws-sdk/client-kms';
import { CREDENTIALS_FILE, readLocalCredentials } from '../../../local/credentials';
import { startKmsEmulator, type KmsEmulator } from '../../../local/kms';

export const REGION = 'us-east-1';
export const ACCESS_KEY_ID = 'AKIAOTPVAULTTEST';

export interface Fixture {
  dataDir: string;
  emulator: KmsEmulator;
  kms: KMSClient;
  cloudTrail: CloudTrailClient;
}

function clients(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const config = { endpoint, region: REGION, credentials };
  return { kms: new KMSClient(config), cloudTrail: new CloudTrailClient(config) };
}

/** Registers a key pair under the given access key id in the data directory's credentials file. */
export async function registerKeyPair(dataDir: string, accessKeyId: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const identities = await readLocalCredentials(dataDir);
  const known = Object.values(identities).find((pair) => pair.accessKeyId === accessKeyId);
  if (known) return known;
  const pair = { accessKeyId, secretAccessKey: randomBytes(30).toString('base64') };
  await writeFile(join(dataDir, CREDENTIALS_FILE), JSON.stringify({ ...identities, [accessKeyId]: pair }), { mode: 0o600 });
  return pair;
}

/** Starts an emulator; pass `dataDir` to reuse the state of an earlier one. */
export async function startFixture(dataDir?: string, accessKeyId = ACCESS_KEY_ID): Promise<Fixture> {
  const directory = dataDir ?? (await mkdtemp(join(tmpdir(), 'otpvault-kms-')));
  const credentials = await registerKeyPair(directory, accessKeyId);
  const emulator = await startKmsEmulator({ dataDir: directory });
  return { dataDir: directory, emulator, ...clients(emulator.endpoint, credentials) };
}

/** Stops the emulator and its clients; removes the data directory unless `keepData`. */
export async function stopFixture(fixture: Fixture, keepData = false): Promise<void> {
  fixture.kms.destroy();
  fixture.cloudTrail.destroy();
  await fixture.emulator.stop();
  if (!keepData) await rm(fixture.dataDir, { recursive: true, force: true });
}

export async function createSymmetricKey(kms: KMSClient): Promise<KeyMetadata> {
  const { KeyMetadata: metadata } = await kms.send(new CreateKeyCommand({ Description: 'test key' }));
  if (metadata === undefined) throw new Error('CreateKey returned no metadata');
  return metadata;
}

export async function encryptText(
  kms: KMSClient,
  keyId: string,
  text: string,
  context?: Record<string, string>,
): Promise<Uint8Array> {
  const { CiphertextBlob: blob } = await kms.send(
    new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text, 'utf8'), EncryptionContext: context }),
  );
  if (blob === undefined) throw new Error('Encrypt returned no ciphertext');
  return blob;
}

export async function decryptText(
  kms: KMSClient,
  blob: Uint8Array,
  context?: Record<string, string>,
  keyId?: string,
): Promise<string> {
  const { Plaintext: plaintext } = await kms.send(
    new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: keyId }),
  );
  return Buffer.from(plaintext ?? new Uint8Array()).toString('utf8');
}
