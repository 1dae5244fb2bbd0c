/** GetPublicKey: the public half of a SIGN_VERIFY key as DER SubjectPublicKeyInfo, like KMS. */
import { publicKeyDer } from '../asymmetric';
import { ErrorType, ServiceError } from '../errors';
import { requiredString } from '../input';
import { signingAlgorithmsFor } from '../keySpecs';
import type { Operation } from '../operation';

export const getPublicKey: Operation = {
  name: 'GetPublicKey',
  run(input, { caller, keys }) {
    const key = keys.resolve(requiredString(input, 'KeyId', { min: 1, max: 2048 }), caller.region);
    if (key.material.kind !== 'asymmetric') {
      throw new ServiceError(ErrorType.unsupportedOperation, `${key.arn} is a symmetric key; it has no public key.`);
    }
    return {
      KeyId: key.arn,
      PublicKey: publicKeyDer(key.material.privateKey).toString('base64'),
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      SigningAlgorithms: signingAlgorithmsFor(key.keySpec),
    };
  },
};
