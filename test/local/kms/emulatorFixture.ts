/**
 * Starts an emulator on a fresh data directory and hands out real SDK clients pointed at it, plus
 * the small steps the scenarios chain (create a key, encrypt, decrypt).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, type KeyMetadata } from '@aws-sdk/client-kms';
import { startKmsEmulator, type KmsEmulator } from '../../../local/kms';

export const REGION = 'us-east-1';
export const ACCESS_KEY_ID = 'AKIAOTPVAULTTEST';

export interface Fixture {
  dataDir: string;
  emulator: KmsEmulator;
  kms: KMSClient;
  cloudTrail: CloudTrailClient;
}

function clients(endpoint: string, accessKeyId: string) {
  const config = { endpoint, region: REGION, credentials: { accessKeyId, secretAccessKey: 'not-checked' } };
  return { kms: new KMSClient(config), cloudTrail: new CloudTrailClient(config) };
}

/** Starts an emulator; pass `dataDir` to reuse the state of an earlier one. */
export async function startFixture(dataDir?: string, accessKeyId = ACCESS_KEY_ID): Promise<Fixture> {
  const directory = dataDir ?? (await mkdtemp(join(tmpdir(), 'otpvault-kms-')));
  const emulator = await startKmsEmulator({ dataDir: directory });
  return { dataDir: directory, emulator, ...clients(emulator.endpoint, accessKeyId) };
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
