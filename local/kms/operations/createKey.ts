/**
 * CreateKey: a SYMMETRIC_DEFAULT key (ENCRYPT_DECRYPT), or an ECC_NIST_P256 / RSA_2048 key with
 * KeyUsage SIGN_VERIFY. Other specs, usages, origins and multi-Region keys are not emulated.
 */
import { ErrorType, ServiceError } from '../errors';
import { optionalEnum, optionalString, requiredEnum, type JsonObject } from '../input';
import { keyMetadata } from '../keyMetadata';
import { ALL_KEY_SPECS, ALL_KEY_USAGES, KeySpec, KeyUsage } from '../keySpecs';
import type { Operation } from '../operation';

const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;

function requestedSpec(input: JsonObject): KeySpec {
  const keySpec = optionalEnum(input, 'KeySpec', ALL_KEY_SPECS);
  const legacySpec = optionalEnum(input, 'CustomerMasterKeySpec', ALL_KEY_SPECS);
  if (keySpec !== undefined && legacySpec !== undefined) {
    throw new ServiceError(ErrorType.validation, 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request.');
  }
  const spec = keySpec ?? legacySpec ?? KeySpec.symmetricDefault;
  if (spec !== KeySpec.symmetricDefault && spec !== KeySpec.eccNistP256 && spec !== KeySpec.rsa2048) {
    throw new ServiceError(ErrorType.unsupportedOperation, `KeySpec ${spec} is not supported by this emulator.`);
  }
  return spec;
}

function checkUsage(input: JsonObject, spec: KeySpec): void {
  const usage = optionalEnum(input, 'KeyUsage', ALL_KEY_USAGES);
  const expected = spec === KeySpec.symmetricDefault ? KeyUsage.encryptDecrypt : KeyUsage.signVerify;
  if (usage === undefined && spec === KeySpec.symmetricDefault) return;
  if (usage === undefined) {
    throw new ServiceError(ErrorType.validation, `KeyUsage must be specified for KeySpec ${spec}.`);
  }
  if (usage === expected) return;
  if (spec === KeySpec.rsa2048 && usage === KeyUsage.encryptDecrypt) {
    throw new ServiceError(ErrorType.unsupportedOperation, 'RSA keys for ENCRYPT_DECRYPT are not supported by this emulator.');
  }
  throw new ServiceError(ErrorType.validation, `KeyUsage ${usage} is not compatible with KeySpec ${spec}.`);
}

export const createKey: Operation = {
  name: 'CreateKey',
  async run(input, { caller, keys, now }) {
    const keySpec = requestedSpec(input);
    checkUsage(input, keySpec);
    const description = optionalString(input, 'Description', { max: 8192 }) ?? '';
    const origin = optionalEnum(input, 'Origin', ORIGINS);
    if (origin !== undefined && origin !== 'AWS_KMS') {
      throw new ServiceError(ErrorType.unsupportedOperation, `Origin ${origin} is not supported by this emulator.`);
    }
    if (input.MultiRegion === true) {
      throw new ServiceError(ErrorType.unsupportedOperation, 'Multi-Region keys are not supported by this emulator.');
    }
    const key = await keys.createKey({ region: caller.region, description, keySpec }, now);
    return { KeyMetadata: keyMetadata(key) };
  },
};
