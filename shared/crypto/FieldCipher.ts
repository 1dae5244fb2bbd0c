import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';

/** What a ciphertext belongs to; KMS binds it as the encryption context, so it can't be moved. */
export interface FieldBinding {
  secretId: string;
  field: string;
  /** Distinguishes parts of one field: the seed version, or `<set version>:<index>` of a recovery code. */
  part?: string;
}

/** Encryption-context keys (also named in the IAM condition of the stack and in audit reconciliation). */
export const CONTEXT_KEYS = {
  secretId: 'otpvault:secretId',
  field: 'otpvault:field',
  part: 'otpvault:part',
} as const;

export function encryptionContext(binding: FieldBinding): Record<string, string> {
  const context: Record<string, string> = {
    [CONTEXT_KEYS.secretId]: binding.secretId,
    [CONTEXT_KEYS.field]: binding.field,
  };
  if (binding.part !== undefined) context[CONTEXT_KEYS.part] = binding.part;
  return context;
}

export interface FieldCipher {
  encrypt(plaintext: Uint8Array, binding: FieldBinding): Promise<Uint8Array>;
  decrypt(ciphertext: Uint8Array, binding: FieldBinding): Promise<Uint8Array>;
}

/** KMS Encrypt/Decrypt directly (every value is under KMS's 4 KB limit), one CloudTrail record per use. */
export class KmsFieldCipher implements FieldCipher {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async encrypt(plaintext: Uint8Array, binding: FieldBinding): Promise<Uint8Array> {
    const out = await this.kms.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: plaintext, EncryptionContext: encryptionContext(binding) }),
    );
    if (!out.CiphertextBlob) throw new Error('KMS Encrypt returned no ciphertext');
    return out.CiphertextBlob;
  }

  async decrypt(ciphertext: Uint8Array, binding: FieldBinding): Promise<Uint8Array> {
    const out = await this.kms.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: ciphertext, EncryptionContext: encryptionContext(binding) }),
    );
    if (!out.Plaintext) throw new Error('KMS Decrypt returned no plaintext');
    return out.Plaintext;
  }
}
