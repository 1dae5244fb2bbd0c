import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { startKmsEmulatorInWorker } from '../../../local/kms/worker';
import { ACCESS_KEY_ID, createSymmetricKey, decryptText, encryptText, registerKeyPair, REGION } from './emulatorFixture';

// The emulator as the local stack runs it: in a worker thread, off the request thread.
const CONTEXT = { secretId: 'worker-1' };
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'otpvault-kms-worker-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the KMS emulator in a worker thread', () => {
  it('answers signed requests, and by the time stop resolves its keys and trail are on disk', async () => {
    // Prepare
    const credentials = await registerKeyPair(dataDir, ACCESS_KEY_ID);
    const first = await startKmsEmulatorInWorker({ dataDir });
    const kms = new KMSClient({ endpoint: first.endpoint, region: REGION, credentials });
    const key = await createSymmetricKey(kms);
    const blob = await encryptText(kms, key.KeyId as string, 'seed in a worker', CONTEXT);
    kms.destroy();

    // Act
    await first.stop();
    const second = await startKmsEmulatorInWorker({ dataDir });
    const again = new KMSClient({ endpoint: second.endpoint, region: REGION, credentials });
    try {
      const plaintext = await decryptText(again, blob, CONTEXT);

      // Assess
      expect(plaintext).toBe('seed in a worker');
      const trail = (await readFile(join(dataDir, 'kms', 'cloudtrail.jsonl'), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { eventName: string }).eventName);
      expect(trail).toEqual(['Encrypt', 'Decrypt']);
    } finally {
      again.destroy();
      await second.stop();
    }
  });

  it('refuses a request signed with an unknown key pair, as in-process', async () => {
    // Prepare
    await registerKeyPair(dataDir, ACCESS_KEY_ID);
    const emulator = await startKmsEmulatorInWorker({ dataDir });
    const stranger = new KMSClient({ endpoint: emulator.endpoint, region: REGION, credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x'.repeat(40) } });
    try {
      // Act
      const created = createSymmetricKey(stranger);

      // Assess
      await expect(created).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      stranger.destroy();
      await emulator.stop();
    }
  });

  it('fails to start on a taken port with the emulator\'s own error, and can stop twice', async () => {
    // Prepare
    const running = await startKmsEmulatorInWorker({ dataDir });
    const port = Number(new URL(running.endpoint).port);

    // Act
    const second = startKmsEmulatorInWorker({ dataDir, port });

    // Assess
    await expect(second).rejects.toThrow(/EADDRINUSE/);
    await running.stop();
    await expect(running.stop()).resolves.toBeUndefined();
  });
});
