import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { createSymmetricKey, decryptText, encryptText, startFixture, stopFixture } from './emulatorFixture';

const CONTEXT = { itemId: 'item-7' };
const SECRET = 'PERSISTED-SEED-JBSWY3DP';

describe('persistence of the KMS emulator', () => {
  it('decrypts after a restart on the same data directory what it encrypted before, by key and alias', async () => {
    // Prepare
    const first = await startFixture();
    const key = await createSymmetricKey(first.kms);
    await first.kms.send(new CreateAliasCommand({ AliasName: 'alias/persisted', TargetKeyId: key.KeyId }));
    const { KeyMetadata: signingKey } = await first.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const publicKeyBefore = await first.kms.send(new GetPublicKeyCommand({ KeyId: signingKey?.KeyId }));
    const blob = await encryptText(first.kms, 'alias/persisted', SECRET, CONTEXT);
    await stopFixture(first, true);

    // Act
    const second = await startFixture(first.dataDir);
    try {
      const plaintext = await decryptText(second.kms, blob, CONTEXT, 'alias/persisted');
      const publicKeyAfter = await second.kms.send(new GetPublicKeyCommand({ KeyId: signingKey?.KeyId }));

      // Assess
      expect(plaintext).toBe(SECRET);
      expect(Buffer.from(publicKeyAfter.PublicKey ?? new Uint8Array())).toEqual(
        Buffer.from(publicKeyBefore.PublicKey ?? new Uint8Array()),
      );
    } finally {
      await stopFixture(second);
    }
  });

  it('keeps key material and the trail readable by the owner only, and never writes a plaintext', async () => {
    // Prepare
    const fixture = await startFixture();
    const key = await createSymmetricKey(fixture.kms);
    const blob = await encryptText(fixture.kms, key.KeyId ?? '', SECRET, CONTEXT);
    await decryptText(fixture.kms, blob, CONTEXT);
    await stopFixture(fixture, true);

    // Act
    const directory = join(fixture.dataDir, 'kms');
    try {
      const keysFile = await stat(join(directory, 'keys.json'));
      const trailFile = await stat(join(directory, 'cloudtrail.jsonl'));
      const written = [
        await readFile(join(directory, 'keys.json'), 'utf8'),
        await readFile(join(directory, 'cloudtrail.jsonl'), 'utf8'),
      ].join('\n');

      // Assess
      expect(keysFile.mode & 0o777).toBe(0o600);
      expect(trailFile.mode & 0o777).toBe(0o600);
      expect(written).not.toContain(SECRET);
      expect(written).not.toContain(Buffer.from(SECRET).toString('base64'));
      expect(written).not.toContain(Buffer.from(blob).toString('base64'));
    } finally {
      await rm(fixture.dataDir, { recursive: true, force: true });
    }
  });
});
