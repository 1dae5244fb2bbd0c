/**
 * Safe readers for trail `requestParameters`: they never throw (a malformed request is still
 * recorded) and only ever copy names, ids, algorithms and encryption contexts, never blobs.
 */
import { isObject, type Json, type JsonObject } from '../input';
import { SYMMETRIC_DEFAULT } from '../keySpecs';

/** A string member as sent, or undefined if absent or not a string. */
export function stringMember(input: JsonObject, member: string): string | undefined {
  const value = input[member];
  return typeof value === 'string' ? value : undefined;
}

/** A number member as sent, or undefined. */
export function numberMember(input: JsonObject, member: string): number | undefined {
  const value = input[member];
  return typeof value === 'number' ? value : undefined;
}

/** The encryption context as sent, if it is a non-empty map of strings. */
export function contextMember(input: JsonObject): { [key: string]: string } | undefined {
  const value = input.EncryptionContext;
  if (!isObject(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length === 0 || !entries.every(([, entry]) => typeof entry === 'string')) return undefined;
  return Object.fromEntries(entries) as { [key: string]: string };
}

/** Builds requestParameters from named values, leaving out the absent ones. */
export function parameters(values: { [name: string]: Json | undefined }): { [name: string]: Json } {
  const result: { [name: string]: Json } = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** What CloudTrail records of Encrypt and Decrypt requests: key, encryption context, algorithm. */
export function symmetricRequestParameters(input: JsonObject): { [name: string]: Json } {
  return parameters({
    keyId: stringMember(input, 'KeyId'),
    encryptionContext: contextMember(input),
    encryptionAlgorithm: stringMember(input, 'EncryptionAlgorithm') ?? SYMMETRIC_DEFAULT,
  });
}
