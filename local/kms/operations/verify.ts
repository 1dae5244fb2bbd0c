/** Verify: checks a signature; an invalid one is `KMSInvalidSignatureException`, as in KMS. Recorded. */
import { verifyMessage } from '../asymmetric';
import { ErrorType, ServiceError } from '../errors';
import { requiredBlob } from '../input';
import type { Operation } from '../operation';
import { readSigningRequest, signingParameters } from './signingRequest';

export const verify: Operation = {
  name: 'Verify',
  recorded: { requestParameters: signingParameters },
  run(input, context) {
    const signature = requiredBlob(input, 'Signature', { min: 1, max: 6144 });
    const { key, privateKey, signing } = readSigningRequest(input, context, 'Verify');
    if (!verifyMessage(privateKey, signing, signature)) {
      throw new ServiceError(ErrorType.invalidSignature, 'The signature is not valid for this key, message and algorithm.');
    }
    return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: signing.algorithm };
  },
};
