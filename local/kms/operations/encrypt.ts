/** Encrypt: up to 4096 bytes under a symmetric key, the encryption context bound as AAD. Recorded. */
import { optionalEnum, optionalStringMap, requiredBlob, requiredString } from '../input';
import { assertSymmetricAlgorithm, symmetricSecret } from '../keyMetadata';
import { ALL_ENCRYPTION_ALGORITHMS, SYMMETRIC_DEFAULT } from '../keySpecs';
import type { Operation } from '../operation';
import { MAX_PLAINTEXT_BYTES, seal } from '../symmetric';
import { symmetricRequestParameters } from './requestSummary';

export const encrypt: Operation = {
  name: 'Encrypt',
  recorded: { requestParameters: symmetricRequestParameters },
  run(input, { caller, keys, audit }) {
    const keyId = requiredString(input, 'KeyId', { min: 1, max: 2048 });
    const plaintext = requiredBlob(input, 'Plaintext', { min: 1, max: MAX_PLAINTEXT_BYTES });
    const context = optionalStringMap(input, 'EncryptionContext');
    const algorithm = optionalEnum(input, 'EncryptionAlgorithm', ALL_ENCRYPTION_ALGORITHMS);
    const key = keys.resolve(keyId, caller.region);
    audit.keyArn = key.arn;
    const secret = symmetricSecret(key, 'Encrypt');
    assertSymmetricAlgorithm(key, algorithm);
    return {
      CiphertextBlob: seal(key.keyId, secret, plaintext, context).toString('base64'),
      KeyId: key.arn,
      EncryptionAlgorithm: SYMMETRIC_DEFAULT,
    };
  },
};
