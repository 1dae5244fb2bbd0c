/**
 * The key specs, key usages and algorithms KMS names, and the subset this emulator implements.
 * Enum members KMS knows but we do not implement are `UnsupportedOperationException`; values KMS
 * does not know at all are `ValidationException` (see `input.ts`).
 */

/** Every `KeySpec` KMS accepts on CreateKey. */
export const ALL_KEY_SPECS = [
  'SYMMETRIC_DEFAULT', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521',
  'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024',
] as const;

/** Every `KeyUsage` KMS accepts on CreateKey. */
export const ALL_KEY_USAGES = [
  'ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE',
] as const;

/** Every `SigningAlgorithm` KMS accepts on Sign and Verify. */
export const ALL_SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512',
  'SM2DSA', 'ML_DSA_SHAKE_256', 'ED25519_SHA_512', 'ED25519_PH_SHA_512',
] as const;

/** Every `EncryptionAlgorithm` KMS accepts on Encrypt and Decrypt. */
export const ALL_ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;

/** Every `MessageType` KMS accepts on Sign and Verify. */
export const ALL_MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;

/** The key specs this emulator implements. */
export const KeySpec = {
  symmetricDefault: 'SYMMETRIC_DEFAULT',
  eccNistP256: 'ECC_NIST_P256',
  rsa2048: 'RSA_2048',
} as const;
export type KeySpec = (typeof KeySpec)[keyof typeof KeySpec];

/** The key usages this emulator implements. */
export const KeyUsage = {
  encryptDecrypt: 'ENCRYPT_DECRYPT',
  signVerify: 'SIGN_VERIFY',
} as const;
export type KeyUsage = (typeof KeyUsage)[keyof typeof KeyUsage];

/** The one encryption algorithm of symmetric keys. */
export const SYMMETRIC_DEFAULT = 'SYMMETRIC_DEFAULT';

/** How each implemented signing algorithm hashes and pads. */
export const SigningAlgorithms = {
  ECDSA_SHA_256: { family: 'ecdsa', hash: 'sha256', digestLength: 32, keySpec: KeySpec.eccNistP256 },
  RSASSA_PKCS1_V1_5_SHA_256: { family: 'pkcs1', hash: 'sha256', digestLength: 32, keySpec: KeySpec.rsa2048 },
  RSASSA_PKCS1_V1_5_SHA_384: { family: 'pkcs1', hash: 'sha384', digestLength: 48, keySpec: KeySpec.rsa2048 },
  RSASSA_PKCS1_V1_5_SHA_512: { family: 'pkcs1', hash: 'sha512', digestLength: 64, keySpec: KeySpec.rsa2048 },
  RSASSA_PSS_SHA_256: { family: 'pss', hash: 'sha256', digestLength: 32, keySpec: KeySpec.rsa2048 },
  RSASSA_PSS_SHA_384: { family: 'pss', hash: 'sha384', digestLength: 48, keySpec: KeySpec.rsa2048 },
  RSASSA_PSS_SHA_512: { family: 'pss', hash: 'sha512', digestLength: 64, keySpec: KeySpec.rsa2048 },
} as const;
export type SigningAlgorithm = keyof typeof SigningAlgorithms;
export type SigningAlgorithmInfo = (typeof SigningAlgorithms)[SigningAlgorithm];
export type DigestName = SigningAlgorithmInfo['hash'];

/** The signing algorithms a key spec offers, in the order KMS lists them. */
export function signingAlgorithmsFor(spec: KeySpec): SigningAlgorithm[] {
  return (Object.keys(SigningAlgorithms) as SigningAlgorithm[])
    .filter((name) => SigningAlgorithms[name].keySpec === spec)
    .sort();
}

export function isImplementedSigningAlgorithm(name: string): name is SigningAlgorithm {
  return Object.hasOwn(SigningAlgorithms, name);
}
