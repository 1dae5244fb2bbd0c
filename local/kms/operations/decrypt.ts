/**
 * Decrypt: opens a ciphertext blob with the key it names, checking the encryption context exactly
 * as KMS does: a different or missing context, or a tampered blob, is `InvalidCiphertextException`;
 * a KeyId other than the blob's key is `IncorrectKeyException`. Recorded, success or failure.
 */
import { ErrorType, ServiceError } from '../errors';
import { optionalEnum, optionalString, optionalStringMap, requiredBlob } from '../input';
import { assertSymmetricAlgorithm, symmetricSecret } from '../keyMetadata';
import { ALL_ENCRYPTION_ALGORITHMS, SYMMETRIC_DEFAULT } from '../keySpecs';
import type { Operation } from '../operation';
import { MAX_CIPHERTEXT_BYTES, open, parseBlob } from '../symmetric';
import { symmetricRequestParameters } from './requestSummary';

function invalidCiphertext(): ServiceError {
  return new ServiceError(
    ErrorType.invalidCiphertext,
    'The ciphertext, or the encryption context it was encrypted with, does not match.',
  );
}

export const decrypt: Operation = {
  name: 'Decrypt',
  recorded: { requestParameters: symmetricRequestParameters },
  run(input, { caller, keys, audit }) {
    const blob = requiredBlob(input, 'CiphertextBlob', { min: 1, max: MAX_CIPHERTEXT_BYTES });
    const context = optionalStringMap(input, 'EncryptionContext');
    const keyIdentifier = optionalString(input, 'KeyId', { min: 1, max: 2048 });
    const algorithm = optionalEnum(input, 'EncryptionAlgorithm', ALL_ENCRYPTION_ALGORITHMS);

    const requested = keyIdentifier === undefined ? undefined : keys.resolve(keyIdentifier, caller.region);
    if (requested !== undefined) {
      audit.keyArn = requested.arn;
      symmetricSecret(requested, 'Decrypt');
      assertSymmetricAlgorithm(requested, algorithm);
    }
    const parsed = parseBlob(blob);
    if (parsed === undefined) throw invalidCiphertext();
    if (requested !== undefined && requested.keyId !== parsed.keyId) {
      throw new ServiceError(
        ErrorType.incorrectKey,
        'The key ID in the request does not identify a CMK that can perform this operation.',
      );
    }
    const key = keys.findKey(caller.region, parsed.keyId);
    if (key === undefined) throw invalidCiphertext();
    audit.keyArn = key.arn;
    const secret = symmetricSecret(key, 'Decrypt');
    assertSymmetricAlgorithm(key, algorithm);
    const plaintext = open(parsed, secret, context);
    if (plaintext === undefined) throw invalidCiphertext();
    return { KeyId: key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: SYMMETRIC_DEFAULT };
  },
};
