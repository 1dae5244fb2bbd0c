/**
 * GenerateDataKey and GenerateDataKeyWithoutPlaintext: a random data key (NumberOfBytes, or KeySpec
 * AES_256 / AES_128) encrypted under a symmetric key with the encryption context. Both recorded.
 */
import { randomBytes } from 'node:crypto';
import { ErrorType, ServiceError } from '../errors';
import { optionalEnum, optionalInteger, optionalStringMap, requiredString } from '../input';
import { symmetricSecret } from '../keyMetadata';
import type { Operation } from '../operation';
import { seal } from '../symmetric';
import { contextMember, numberMember, parameters, stringMember } from './requestSummary';

const DATA_KEY_BYTES = { AES_256: 32, AES_128: 16 } as const;

function dataKeyOperation(name: string, withPlaintext: boolean): Operation {
  return {
    name,
    recorded: {
      requestParameters: (input) =>
        parameters({
          keyId: stringMember(input, 'KeyId'),
          encryptionContext: contextMember(input),
          keySpec: stringMember(input, 'KeySpec'),
          numberOfBytes: numberMember(input, 'NumberOfBytes'),
        }),
    },
    run(input, { caller, keys, audit }) {
      const keyId = requiredString(input, 'KeyId', { min: 1, max: 2048 });
      const context = optionalStringMap(input, 'EncryptionContext');
      const keySpec = optionalEnum(input, 'KeySpec', ['AES_256', 'AES_128'] as const);
      const numberOfBytes = optionalInteger(input, 'NumberOfBytes', 1, 1024);
      if ((keySpec === undefined) === (numberOfBytes === undefined)) {
        throw new ServiceError(ErrorType.validation, 'Please specify either number of bytes or key spec.');
      }
      const key = keys.resolve(keyId, caller.region);
      audit.keyArn = key.arn;
      const secret = symmetricSecret(key, name);
      const dataKey = randomBytes(numberOfBytes ?? DATA_KEY_BYTES[keySpec ?? 'AES_256']);
      return {
        CiphertextBlob: seal(key.keyId, secret, dataKey, context).toString('base64'),
        ...(withPlaintext && { Plaintext: dataKey.toString('base64') }),
        KeyId: key.arn,
      };
    },
  };
}

export const generateDataKey = dataKeyOperation('GenerateDataKey', true);
export const generateDataKeyWithoutPlaintext = dataKeyOperation('GenerateDataKeyWithoutPlaintext', false);
