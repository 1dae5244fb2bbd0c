/**
 * Asymmetric signing keys: generation, the public key as KMS hands it out (DER
 * SubjectPublicKeyInfo), and Sign / Verify for RAW messages and precomputed DIGESTs.
 */
import { promisify } from 'node:util';
import { constants, createPublicKey, generateKeyPair, sign, verify, type KeyObject } from 'node:crypto';
import { ErrorType, ServiceError } from './errors';
import { signDigest as signEcdsaDigest, verifyDigest as verifyEcdsaDigest } from './internal/ecdsaP256';
import { signPkcs1Digest, signPssDigest, verifyPkcs1Digest, verifyPssDigest } from './internal/rsaPrehashed';
import { KeySpec, SigningAlgorithms, type SigningAlgorithm, type SigningAlgorithmInfo } from './keySpecs';

const generateKeyPairAsync = promisify(generateKeyPair);

/** The asymmetric key specs we implement. */
export type AsymmetricKeySpec = typeof KeySpec.eccNistP256 | typeof KeySpec.rsa2048;

/** Largest RAW message KMS signs, in bytes. */
export const MAX_MESSAGE_BYTES = 4096;

/** Generates a key pair; returns the private key as PKCS #8 PEM (how the key store keeps it). */
export async function generateSigningKey(spec: AsymmetricKeySpec): Promise<string> {
  const pair =
    spec === KeySpec.eccNistP256
      ? await generateKeyPairAsync('ec', { namedCurve: 'prime256v1' })
      : await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The public half as DER SubjectPublicKeyInfo, the format of GetPublicKey's `PublicKey`. */
export function publicKeyDer(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
}

export type MessageType = 'RAW' | 'DIGEST';

/** The message to sign or verify, already checked for size. */
export interface SigningInput {
  algorithm: SigningAlgorithm;
  messageType: MessageType;
  message: Buffer;
}

function checkMessage({ algorithm, messageType, message }: SigningInput): SigningAlgorithmInfo {
  const info = SigningAlgorithms[algorithm];
  if (messageType === 'DIGEST' && message.length !== info.digestLength) {
    throw new ServiceError(ErrorType.validation, `Digest is invalid length for algorithm ${algorithm}.`);
  }
  return info;
}

function rawOptions(key: KeyObject, info: SigningAlgorithmInfo) {
  return info.family === 'pss'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: info.digestLength }
    : { key };
}

/** Signs; ECDSA signatures are DER, as KMS returns them. */
export function signMessage(privateKey: KeyObject, input: SigningInput): Buffer {
  const info = checkMessage(input);
  if (input.messageType === 'RAW') return sign(info.hash, input.message, rawOptions(privateKey, info));
  switch (info.family) {
    case 'ecdsa':
      return signEcdsaDigest(privateKey, input.message);
    case 'pkcs1':
      return signPkcs1Digest(privateKey, info.hash, input.message);
    case 'pss':
      return signPssDigest(privateKey, info.hash, input.message);
  }
}

/** Whether `signature` is valid for the message under the key's public half. */
export function verifyMessage(privateKey: KeyObject, input: SigningInput, signature: Buffer): boolean {
  const info = checkMessage(input);
  const publicKey = createPublicKey(privateKey);
  if (input.messageType === 'RAW') {
    try {
      return verify(info.hash, input.message, rawOptions(publicKey, info), signature);
    } catch {
      return false;
    }
  }
  switch (info.family) {
    case 'ecdsa':
      return verifyEcdsaDigest(publicKey, input.message, signature);
    case 'pkcs1':
      return verifyPkcs1Digest(publicKey, info.hash, input.message, signature);
    case 'pss':
      return verifyPssDigest(publicKey, info.hash, input.message, signature);
  }
}
