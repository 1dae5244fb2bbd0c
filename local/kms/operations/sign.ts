/** Sign: a RAW message or a DIGEST with a SIGN_VERIFY key. Recorded. */
import { signMessage } from '../asymmetric';
import type { Operation } from '../operation';
import { readSigningRequest, signingParameters } from './signingRequest';

export const sign: Operation = {
  name: 'Sign',
  recorded: { requestParameters: signingParameters },
  run(input, context) {
    const { key, privateKey, signing } = readSigningRequest(input, context, 'Sign');
    return {
      KeyId: key.arn,
      Signature: signMessage(privateKey, signing).toString('base64'),
      SigningAlgorithm: signing.algorithm,
    };
  },
};
