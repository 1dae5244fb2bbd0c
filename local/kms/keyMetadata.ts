/**
 * A key described as KMS describes it (`KeyMetadata` of CreateKey and DescribeKey), and the key
 * usage checks every cryptographic operation makes first.
 */
import { ACCOUNT_ID } from './arns';
import { ErrorType, ServiceError } from './errors';
import type { JsonResponse } from './operation';
import type { KmsKey } from './KeyStore';
import { KeySpec, KeyUsage, SYMMETRIC_DEFAULT, signingAlgorithmsFor } from './keySpecs';

export function keyMetadata(key: KmsKey): JsonResponse {
  const algorithms: JsonResponse =
    key.keyUsage === KeyUsage.encryptDecrypt
      ? { EncryptionAlgorithms: [SYMMETRIC_DEFAULT] }
      : { SigningAlgorithms: signingAlgorithmsFor(key.keySpec) };
  return {
    AWSAccountId: ACCOUNT_ID,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.createdAt.getTime() / 1000,
    Enabled: true,
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...algorithms,
    MultiRegion: false,
  };
}

/** Throws `InvalidKeyUsageException` unless the key's usage allows `operation`. */
export function assertKeyUsage(key: KmsKey, usage: KeyUsage, operation: string): void {
  if (key.keyUsage !== usage) {
    throw new ServiceError(
      ErrorType.invalidKeyUsage,
      `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  }
}

/** The symmetric secret of an ENCRYPT_DECRYPT key (checks usage first). */
export function symmetricSecret(key: KmsKey, operation: string): Buffer {
  assertKeyUsage(key, KeyUsage.encryptDecrypt, operation);
  if (key.material.kind !== 'symmetric' || key.keySpec !== KeySpec.symmetricDefault) {
    throw new ServiceError(ErrorType.unsupportedOperation, `${operation} with ${key.keySpec} keys is not supported by this emulator.`);
  }
  return key.material.secret;
}

/** Throws `InvalidKeyUsageException` for any encryption algorithm but SYMMETRIC_DEFAULT. */
export function assertSymmetricAlgorithm(key: KmsKey, algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== SYMMETRIC_DEFAULT) {
    throw new ServiceError(
      ErrorType.invalidKeyUsage,
      `${key.arn} key spec is ${key.keySpec} which does not support encryption algorithm ${algorithm}.`,
    );
  }
}
