import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  createSymmetricKey,
  decryptText,
  encryptText,
  startFixture,
  stopFixture,
  type Fixture,
} from './emulatorFixture';

const CONTEXT = { itemId: 'item-1', purpose: 'totp-seed' };

describe('symmetric encryption through the KMS SDK', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(async () => {
    await stopFixture(fixture);
  });

  it('decrypts what it encrypted when the same encryption context is given, in any key order', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    const blob = await encryptText(fixture.kms, key.KeyId ?? '', 'JBSWY3DPEHPK3PXP', CONTEXT);

    // Act
    const result = await fixture.kms.send(
      new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { purpose: 'totp-seed', itemId: 'item-1' } }),
    );

    // Assess
    expect(Buffer.from(result.Plaintext ?? new Uint8Array()).toString('utf8')).toBe('JBSWY3DPEHPK3PXP');
    expect(result.KeyId).toBe(key.Arn);
    expect(result.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
  });

  it('refuses a different encryption context with InvalidCiphertextException', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    const blob = await encryptText(fixture.kms, key.KeyId ?? '', 'secret', CONTEXT);

    // Act
    const attempt = decryptText(fixture.kms, blob, { ...CONTEXT, itemId: 'item-2' });

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('refuses a missing encryption context with InvalidCiphertextException', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    const blob = await encryptText(fixture.kms, key.KeyId ?? '', 'secret', CONTEXT);

    // Act
    const attempt = decryptText(fixture.kms, blob);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('refuses an encryption context the ciphertext was not encrypted with', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    const blob = await encryptText(fixture.kms, key.KeyId ?? '', 'secret');

    // Act
    const attempt = decryptText(fixture.kms, blob, CONTEXT);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it.each([
    ['the last byte', (blob: Buffer) => blob.length - 1],
    ['a byte of the authentication tag', (blob: Buffer) => blob.length - 10 - 16],
  ])('refuses a ciphertext with %s flipped with InvalidCiphertextException', async (_, position) => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    const blob = Buffer.from(await encryptText(fixture.kms, key.KeyId ?? '', 'ten bytes!', CONTEXT));
    blob[position(blob)] ^= 0x01;

    // Act
    const attempt = decryptText(fixture.kms, blob, CONTEXT);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('refuses bytes that are not a ciphertext blob with InvalidCiphertextException', async () => {
    // Act
    const attempt = decryptText(fixture.kms, Buffer.from('not a kms ciphertext blob at all'));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('refuses a KeyId other than the key that encrypted the blob with IncorrectKeyException', async () => {
    // Prepare
    const encryptingKey = await createSymmetricKey(fixture.kms);
    const otherKey = await createSymmetricKey(fixture.kms);
    const blob = await encryptText(fixture.kms, encryptingKey.KeyId ?? '', 'secret', CONTEXT);

    // Act
    const attempt = decryptText(fixture.kms, blob, CONTEXT, otherKey.KeyId);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'IncorrectKeyException' });
  });

  it('decrypts when the KeyId names the encrypting key by ARN', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    const blob = await encryptText(fixture.kms, key.KeyId ?? '', 'secret', CONTEXT);

    // Act
    const plaintext = await decryptText(fixture.kms, blob, CONTEXT, key.Arn);

    // Assess
    expect(plaintext).toBe('secret');
  });

  it('resolves an alias name and an alias ARN to the key they point at', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    await fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/otpvault-seeds', TargetKeyId: key.KeyId }));

    // Act
    const byName = await fixture.kms.send(new DescribeKeyCommand({ KeyId: 'alias/otpvault-seeds' }));
    const { Aliases: aliases } = await fixture.kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
    const aliasArn = aliases?.[0]?.AliasArn ?? '';
    const blob = await encryptText(fixture.kms, aliasArn, 'secret', CONTEXT);

    // Assess
    expect(byName.KeyMetadata?.KeyId).toBe(key.KeyId);
    expect(aliases).toEqual([
      expect.objectContaining({ AliasName: 'alias/otpvault-seeds', TargetKeyId: key.KeyId }),
    ]);
    expect(aliasArn).toBe('arn:aws:kms:us-east-1:000000000000:alias/otpvault-seeds');
    expect(await decryptText(fixture.kms, blob, CONTEXT)).toBe('secret');
  });

  it('refuses a second alias with the same name with AlreadyExistsException', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);
    await fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: key.KeyId }));

    // Act
    const attempt = fixture.kms.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: key.KeyId }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'AlreadyExistsException' });
  });

  it.each([
    ['a key id', '00000000-0000-4000-8000-000000000000'],
    ['an alias', 'alias/nobody'],
    ['a key ARN in another region', 'arn:aws:kms:eu-west-1:000000000000:key/00000000-0000-4000-8000-000000000000'],
  ])('answers NotFoundException for %s that names no key', async (_, keyId) => {
    // Act
    const attempt = encryptText(fixture.kms, keyId, 'secret');

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('refuses a plaintext over 4096 bytes with ValidationException', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);

    // Act
    const attempt = fixture.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.alloc(4097, 1) }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('returns a data key whose ciphertext decrypts to the same plaintext', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);

    // Act
    const dataKey = await fixture.kms.send(
      new GenerateDataKeyCommand({ KeyId: key.Arn, KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
    );
    const decrypted = await fixture.kms.send(
      new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: CONTEXT }),
    );

    // Assess
    expect(dataKey.Plaintext).toHaveLength(32);
    expect(dataKey.KeyId).toBe(key.Arn);
    expect(Buffer.from(decrypted.Plaintext ?? new Uint8Array())).toEqual(Buffer.from(dataKey.Plaintext ?? new Uint8Array()));
  });

  it('returns only the ciphertext of a data key when asked without plaintext', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);

    // Act
    const dataKey = await fixture.kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, NumberOfBytes: 16, EncryptionContext: CONTEXT }),
    );
    const decrypted = await fixture.kms.send(
      new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: CONTEXT }),
    );

    // Assess
    expect(dataKey).not.toHaveProperty('Plaintext');
    expect(decrypted.Plaintext).toHaveLength(16);
  });

  it('refuses a data key request naming both a key spec and a byte count with ValidationException', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);

    // Act
    const attempt = fixture.kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses to encrypt with a signing key with InvalidKeyUsageException', async () => {
    // Prepare
    const { KeyMetadata: signingKey } = await fixture.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );

    // Act
    const attempt = encryptText(fixture.kms, signingKey?.KeyId ?? '', 'secret');

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('answers UnsupportedOperationException for a KMS operation it does not emulate', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);

    // Act
    const attempt = fixture.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
  });
});
