import { createHash, createPublicKey, constants, verify, type KeyObject } from 'node:crypto';
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type KeySpec,
  type KMSClient,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { createSymmetricKey, startFixture, stopFixture, type Fixture } from './emulatorFixture';

const MESSAGE = Buffer.from('otpvault audit checkpoint 42', 'utf8');

interface SigningKey {
  keyId: string;
  publicKey: KeyObject;
  algorithms: string[];
}

async function createSigningKey(kms: KMSClient, keySpec: KeySpec): Promise<SigningKey> {
  const { KeyMetadata: metadata } = await kms.send(new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' }));
  const keyId = metadata?.KeyId ?? '';
  const { PublicKey: der, SigningAlgorithms: algorithms } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const publicKey = createPublicKey({ key: Buffer.from(der ?? new Uint8Array()), format: 'der', type: 'spki' });
  return { keyId, publicKey, algorithms: algorithms ?? [] };
}

async function signWith(
  kms: KMSClient,
  keyId: string,
  algorithm: SigningAlgorithmSpec,
  message: Uint8Array,
  messageType: 'RAW' | 'DIGEST' = 'RAW',
): Promise<Buffer> {
  const { Signature: signature } = await kms.send(
    new SignCommand({ KeyId: keyId, Message: message, MessageType: messageType, SigningAlgorithm: algorithm }),
  );
  return Buffer.from(signature ?? new Uint8Array());
}

/** Checks a signature with node:crypto alone, as a relying party holding only the public key would. */
function independentlyValid(publicKey: KeyObject, algorithm: string, hash: string, signature: Buffer): boolean {
  const options = algorithm.startsWith('RSASSA_PSS')
    ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(hash).digest().length }
    : { key: publicKey };
  return verify(hash, MESSAGE, options, signature);
}

describe('signing through the KMS SDK', () => {
  let fixture: Fixture;
  let ecc: SigningKey;
  let rsa: SigningKey;
  beforeAll(async () => {
    fixture = await startFixture();
    ecc = await createSigningKey(fixture.kms, 'ECC_NIST_P256');
    rsa = await createSigningKey(fixture.kms, 'RSA_2048');
  });
  afterAll(async () => {
    await stopFixture(fixture);
  });

  it('hands out an ECC public key as DER SubjectPublicKeyInfo on P-256 with ECDSA_SHA_256', () => {
    // Assess
    expect(ecc.publicKey.asymmetricKeyType).toBe('ec');
    expect(ecc.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(ecc.algorithms).toEqual(['ECDSA_SHA_256']);
  });

  it('signs a raw message with ECDSA so that node:crypto verifies it with the public key alone', async () => {
    // Act
    const signature = await signWith(fixture.kms, ecc.keyId, 'ECDSA_SHA_256', MESSAGE);

    // Assess
    expect(independentlyValid(ecc.publicKey, 'ECDSA_SHA_256', 'sha256', signature)).toBe(true);
  });

  it('signs a SHA-256 digest with ECDSA so that node:crypto verifies it against the message', async () => {
    // Prepare
    const digest = createHash('sha256').update(MESSAGE).digest();

    // Act
    const signature = await signWith(fixture.kms, ecc.keyId, 'ECDSA_SHA_256', digest, 'DIGEST');

    // Assess
    expect(independentlyValid(ecc.publicKey, 'ECDSA_SHA_256', 'sha256', signature)).toBe(true);
  });

  it.each([
    ['RSASSA_PKCS1_V1_5_SHA_256', 'sha256'],
    ['RSASSA_PSS_SHA_256', 'sha256'],
    ['RSASSA_PSS_SHA_512', 'sha512'],
  ] as const)('signs with %s, raw or digest, so that node:crypto verifies it', async (algorithm, hash) => {
    // Prepare
    const digest = createHash(hash).update(MESSAGE).digest();

    // Act
    const rawSignature = await signWith(fixture.kms, rsa.keyId, algorithm, MESSAGE);
    const digestSignature = await signWith(fixture.kms, rsa.keyId, algorithm, digest, 'DIGEST');

    // Assess
    expect(rsa.algorithms).toContain(algorithm);
    expect(independentlyValid(rsa.publicKey, algorithm, hash, rawSignature)).toBe(true);
    expect(independentlyValid(rsa.publicKey, algorithm, hash, digestSignature)).toBe(true);
  });

  it('verifies its own ECDSA signature given either the message or its digest', async () => {
    // Prepare
    const signature = await signWith(fixture.kms, ecc.keyId, 'ECDSA_SHA_256', MESSAGE);
    const digest = createHash('sha256').update(MESSAGE).digest();

    // Act
    const overMessage = await fixture.kms.send(
      new VerifyCommand({ KeyId: ecc.keyId, Message: MESSAGE, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    const overDigest = await fixture.kms.send(
      new VerifyCommand({
        KeyId: ecc.keyId,
        Message: digest,
        MessageType: 'DIGEST',
        Signature: signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );

    // Assess
    expect(overMessage.SignatureValid).toBe(true);
    expect(overDigest.SignatureValid).toBe(true);
  });

  it.each(['RAW', 'DIGEST'] as const)(
    'rejects a signature over another message (%s) with KMSInvalidSignatureException',
    async (messageType) => {
      // Prepare
      const signature = await signWith(fixture.kms, ecc.keyId, 'ECDSA_SHA_256', MESSAGE);
      const other = Buffer.from('otpvault audit checkpoint 43', 'utf8');
      const message = messageType === 'RAW' ? other : createHash('sha256').update(other).digest();

      // Act
      const attempt = fixture.kms.send(
        new VerifyCommand({ KeyId: ecc.keyId, Message: message, MessageType: messageType, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
      );

      // Assess
      await expect(attempt).rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
    },
  );

  it('refuses a digest of the wrong length with ValidationException', async () => {
    // Act
    const attempt = signWith(fixture.kms, ecc.keyId, 'ECDSA_SHA_256', Buffer.alloc(20, 7), 'DIGEST');

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses a signing algorithm the key spec does not offer with InvalidKeyUsageException', async () => {
    // Act
    const attempt = signWith(fixture.kms, ecc.keyId, 'RSASSA_PSS_SHA_256', MESSAGE);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('refuses to sign with a symmetric key with InvalidKeyUsageException', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);

    // Act
    const attempt = signWith(fixture.kms, key.KeyId ?? '', 'ECDSA_SHA_256', MESSAGE);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('refuses the public key of a symmetric key with UnsupportedOperationException', async () => {
    // Prepare
    const key = await createSymmetricKey(fixture.kms);

    // Act
    const attempt = fixture.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
  });
});
