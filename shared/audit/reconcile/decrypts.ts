import * as z from 'zod';
import { CONTEXT_KEYS } from '../../crypto/FieldCipher';

/** A KMS Decrypt whose encryption context names a vault secret, as CloudTrail recorded it. */
export interface VaultDecrypt {
  /** CloudTrail's event time: ISO 8601 to the second (the call happened within that second). */
  eventTime: string;
  secretId: string;
  /** Field of the secret (`otpvault:field`). */
  field: string | null;
  /** Part of the field (`otpvault:part`): `v<seed version>`, `v<set version>:<index>`, or none. */
  part: string | null;
  /** Who called KMS: the IAM ARN (for a Lambda, its role session), else the principal id. */
  caller: string;
  /** KMS request id. */
  requestId: string;
  /** CloudTrail event id. */
  eventId: string;
  /** Set when the Decrypt failed (it returned nothing, but someone tried). */
  errorCode?: string;
  /**
   * Set for the other KMS calls that name a secret: `ReEncrypt` (decrypts a vault ciphertext into
   * another key) or `GenerateDataKey*` (makes ciphertexts bound to a secret). The vault makes
   * neither, so they are never explained.
   */
  operation?: NonDecryptOperation;
}

/** KMS calls besides Decrypt that reconcile reads, by CloudTrail event name. */
export const NON_DECRYPT_OPERATIONS = ['ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'] as const;
export type NonDecryptOperation = (typeof NON_DECRYPT_OPERATIONS)[number];
/** Every CloudTrail event name reconcile looks up. */
export const RECONCILED_EVENT_NAMES: readonly string[] = ['Decrypt', ...NON_DECRYPT_OPERATIONS];

/** Where the KMS Decrypts of a time range come from (CloudTrail in AWS, the KMS emulator's trail locally). */
export interface DecryptTrail {
  /**
   * Vault Decrypts recorded between `from` and `to` (ISO UTC), in no particular order.
   *
   * @throws TooLargeError when the range holds more than can be read in one request.
   */
  vaultDecrypts(from: string, to: string): Promise<VaultDecrypt[]>;
}

export const KMS_EVENT_SOURCE = 'kms.amazonaws.com';

/** The parts of a CloudTrail record we read; anything else may be there too. */
const TrailRecordSchema = z.object({
  eventSource: z.string(),
  eventName: z.string(),
  eventTime: z.string(),
  eventID: z.string().default(''),
  requestID: z.string().default(''),
  errorCode: z.string().optional(),
  userIdentity: z.object({ arn: z.string().optional(), principalId: z.string().optional(), type: z.string().optional() }).optional(),
  requestParameters: z
    .object({
      encryptionContext: z.record(z.string(), z.string()).optional(),
      // ReEncrypt names the context of the ciphertext it decrypts as the source context.
      sourceEncryptionContext: z.record(z.string(), z.string()).optional(),
    })
    .nullish(),
});

/**
 * Reads one CloudTrail record (the `CloudTrailEvent` JSON of a LookupEvents result).
 *
 * @param json - The record as CloudTrail returns it.
 * @returns The decrypt, or undefined when the record is not a KMS Decrypt (ReEncrypt,
 *   GenerateDataKey*) naming a secret.
 * @example
 * const decrypt = vaultDecryptOf(event.CloudTrailEvent ?? '');
 */
export function vaultDecryptOf(json: string): VaultDecrypt | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const record = TrailRecordSchema.safeParse(parsed);
  if (!record.success) return undefined;
  const { eventSource, eventName, eventTime, eventID, requestID, errorCode, userIdentity, requestParameters } = record.data;
  const operation = (NON_DECRYPT_OPERATIONS as readonly string[]).includes(eventName) ? (eventName as NonDecryptOperation) : undefined;
  const context = (operation === 'ReEncrypt' ? requestParameters?.sourceEncryptionContext : requestParameters?.encryptionContext) ?? {};
  const secretId = context[CONTEXT_KEYS.secretId];
  if (eventSource !== KMS_EVENT_SOURCE || (eventName !== 'Decrypt' && !operation) || secretId === undefined) return undefined;
  return {
    eventTime,
    secretId,
    field: context[CONTEXT_KEYS.field] ?? null,
    part: context[CONTEXT_KEYS.part] ?? null,
    caller: userIdentity?.arn ?? userIdentity?.principalId ?? userIdentity?.type ?? 'unknown',
    requestId: requestID,
    eventId: eventID,
    ...(errorCode !== undefined && { errorCode }),
    ...(operation !== undefined && { operation }),
  };
}
