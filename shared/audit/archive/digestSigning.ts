import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DIGEST_SIGNING_ALGORITHM, type DigestSignature } from './digest';

/** Signs the bytes of a digest payload. */
export interface DigestSigner {
  sign(message: Buffer): Promise<DigestSignature>;
}

/** Checks a digest signature; `detail` says why one is not accepted. */
export interface SignatureChecker {
  check(message: Buffer, signature: DigestSignature): Promise<{ valid: boolean; detail: string }>;
}

/**
 * Signs with a KMS ECC_NIST_P256 key: KMS gets the SHA-256 of the message (`MessageType: DIGEST`),
 * so a digest of any size costs one small Sign call.
 */
export class KmsDigestSigner implements DigestSigner {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(message: Buffer): Promise<DigestSignature> {
    const out = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: createHash('sha256').update(message).digest(),
        MessageType: 'DIGEST',
        SigningAlgorithm: DIGEST_SIGNING_ALGORITHM,
      }),
    );
    if (!out.Signature || !out.KeyId) throw new Error('KMS Sign returned no signature');
    return { keyId: out.KeyId, algorithm: DIGEST_SIGNING_ALGORITHM, messageType: 'DIGEST', value: Buffer.from(out.Signature).toString('base64') };
  }
}

/**
 * Checks signatures offline with the signing key's public half (fetched once with GetPublicKey),
 * and accepts only signatures by that key: a digest re-signed with another key is refused.
 */
export class KmsSignatureChecker implements SignatureChecker {
  private publicKey?: Promise<{ keyArn: string; key: KeyObject }>;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async check(message: Buffer, signature: DigestSignature): Promise<{ valid: boolean; detail: string }> {
    const { keyArn, key } = await this.trustedKey();
    if (signature.keyId !== keyArn) return { valid: false, detail: `signed by ${signature.keyId}, not by the audit signing key ${keyArn}` };
    if (signature.algorithm !== DIGEST_SIGNING_ALGORITHM) return { valid: false, detail: `unexpected algorithm ${signature.algorithm}` };
    const valid = verify('sha256', message, { key, dsaEncoding: 'der' }, Buffer.from(signature.value, 'base64'));
    return { valid, detail: valid ? 'signature valid' : 'the signature does not match the digest content' };
  }

  private trustedKey(): Promise<{ keyArn: string; key: KeyObject }> {
    this.publicKey ??= this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((out) => {
      if (!out.PublicKey || !out.KeyId) throw new Error('KMS GetPublicKey returned no key');
      return { keyArn: out.KeyId, key: createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }) };
    });
    // A failed fetch is retried on the next check.
    this.publicKey.catch(() => {
      this.publicKey = undefined;
    });
    return this.publicKey;
  }
}
