/** The members Sign and Verify share, read and checked against the key in one place. */
import type { KeyObject } from 'node:crypto';
import type { SigningInput } from '../asymmetric';
import { MAX_MESSAGE_BYTES } from '../asymmetric';
import { ErrorType, ServiceError } from '../errors';
import { optionalEnum, requiredBlob, requiredEnum, requiredString, type JsonObject } from '../input';
import { assertKeyUsage } from '../keyMetadata';
import {
  ALL_MESSAGE_TYPES,
  ALL_SIGNING_ALGORITHMS,
  KeyUsage,
  SigningAlgorithms,
  isImplementedSigningAlgorithm,
} from '../keySpecs';
import type { KmsKey } from '../KeyStore';
import type { OperationContext } from '../operation';
import { parameters, stringMember } from './requestSummary';

export interface SigningRequest {
  key: KmsKey;
  privateKey: KeyObject;
  signing: SigningInput;
}

/** Trail requestParameters for Sign and Verify. */
export function signingParameters(input: JsonObject) {
  return parameters({
    keyId: stringMember(input, 'KeyId'),
    messageType: stringMember(input, 'MessageType') ?? 'RAW',
    signingAlgorithm: stringMember(input, 'SigningAlgorithm'),
  });
}

export function readSigningRequest(input: JsonObject, { caller, keys, audit }: OperationContext, operation: string): SigningRequest {
  const keyId = requiredString(input, 'KeyId', { min: 1, max: 2048 });
  const message = requiredBlob(input, 'Message', { min: 1, max: MAX_MESSAGE_BYTES });
  const messageType = optionalEnum(input, 'MessageType', ALL_MESSAGE_TYPES) ?? 'RAW';
  const algorithm = requiredEnum(input, 'SigningAlgorithm', ALL_SIGNING_ALGORITHMS);
  const key = keys.resolve(keyId, caller.region);
  audit.keyArn = key.arn;
  assertKeyUsage(key, KeyUsage.signVerify, operation);
  if (!isImplementedSigningAlgorithm(algorithm) || SigningAlgorithms[algorithm].keySpec !== key.keySpec) {
    throw new ServiceError(
      ErrorType.invalidKeyUsage,
      `${key.arn} key spec is ${key.keySpec} which does not support signing algorithm ${algorithm}.`,
    );
  }
  if (messageType === 'EXTERNAL_MU') {
    throw new ServiceError(ErrorType.invalidKeyUsage, `MessageType EXTERNAL_MU is not valid for ${key.keySpec} keys.`);
  }
  if (key.material.kind !== 'asymmetric') throw new Error(`key ${key.keyId} has no private key`);
  return { key, privateKey: key.material.privateKey, signing: { algorithm, messageType, message } };
}
