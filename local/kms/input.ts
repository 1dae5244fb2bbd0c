/**
 * Typed readers for AWS JSON 1.1 request members. A member of the wrong JSON type is a
 * `SerializationException` (the service could not read the request); a readable value that breaks
 * a constraint is a `ValidationException` worded like the service's ("1 validation error detected: …").
 * Messages name the member, never its value when the value may be secret (blobs).
 */
import { ErrorType, ServiceError } from './errors';

/** A parsed JSON request body. */
export type JsonObject = Record<string, unknown>;

/** A JSON value as written to responses and the trail. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Parses a request body; anything but a JSON object is a `SerializationException`. */
export function parseBody(body: Buffer): JsonObject {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServiceError(ErrorType.serialization, 'Start of structure or map found where not expected.');
  }
  if (!isObject(parsed)) {
    throw new ServiceError(ErrorType.serialization, 'Start of structure or map found where not expected.');
  }
  return parsed;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The name the service uses for a member in validation messages (`KeyId` -> `keyId`). */
function memberName(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

function invalid(constraint: string, field: string, shown?: string | null): ServiceError {
  const value = shown === undefined ? '' : shown === null ? ' null' : ` '${shown}'`;
  return new ServiceError(
    ErrorType.validation,
    `1 validation error detected: Value${value} at '${memberName(field)}' failed to satisfy constraint: ${constraint}`,
  );
}

function wrongType(field: string, expected: string): ServiceError {
  return new ServiceError(ErrorType.serialization, `Expected ${expected} for member '${field}'.`);
}

interface LengthRule {
  /** Smallest allowed length, in characters or bytes. */
  min?: number;
  /** Largest allowed length, in characters or bytes. */
  max?: number;
}

function checkLength(field: string, length: number, rule: LengthRule): void {
  if (rule.min !== undefined && length < rule.min) {
    throw invalid(`Member must have length greater than or equal to ${rule.min}`, field);
  }
  if (rule.max !== undefined && length > rule.max) {
    throw invalid(`Member must have length less than or equal to ${rule.max}`, field);
  }
}

/** Reads an optional string member. */
export function optionalString(input: JsonObject, field: string, rule: LengthRule = {}): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(field, 'a string');
  checkLength(field, value.length, rule);
  return value;
}

/** Reads a required string member. */
export function requiredString(input: JsonObject, field: string, rule: LengthRule = {}): string {
  const value = optionalString(input, field, rule);
  if (value === undefined) throw invalid('Member must not be null', field, null);
  return value;
}

/** Reads an optional member restricted to a set of values. */
export function optionalEnum<const T extends string>(
  input: JsonObject,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const value = optionalString(input, field);
  if (value === undefined) return undefined;
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) {
    throw invalid(`Member must satisfy enum value set: [${allowed.join(', ')}]`, field, value);
  }
  return found;
}

/** Reads a required member restricted to a set of values. */
export function requiredEnum<const T extends string>(input: JsonObject, field: string, allowed: readonly T[]): T {
  const value = optionalEnum(input, field, allowed);
  if (value === undefined) throw invalid('Member must not be null', field, null);
  return value;
}

/** Reads an optional whole number between `min` and `max`. */
export function optionalInteger(input: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(field, 'an integer');
  if (value < min) throw invalid(`Member must have value greater than or equal to ${min}`, field, String(value));
  if (value > max) throw invalid(`Member must have value less than or equal to ${max}`, field, String(value));
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads an optional base64 blob member; its length rule counts decoded bytes. */
function optionalBlob(input: JsonObject, field: string, rule: LengthRule = {}): Buffer | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !BASE64.test(value)) throw wrongType(field, 'base64-encoded binary data');
  const bytes = Buffer.from(value, 'base64');
  checkLength(field, bytes.length, rule);
  return bytes;
}

/** Reads a required base64 blob member. */
export function requiredBlob(input: JsonObject, field: string, rule: LengthRule = {}): Buffer {
  const value = optionalBlob(input, field, rule);
  if (value === undefined) throw invalid('Member must not be null', field, null);
  return value;
}

/** Reads an optional timestamp member (epoch seconds, as the JSON protocols send it). */
export function optionalTimestamp(input: JsonObject, field: string): Date | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw wrongType(field, 'a timestamp');
  return date;
}

/** Reads an optional string-to-string map, such as an encryption context. Empty means absent. */
export function optionalStringMap(input: JsonObject, field: string): Record<string, string> {
  const value = input[field];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw wrongType(field, 'a map');
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw wrongType(field, 'a map of strings');
    map[key] = entry;
  }
  return map;
}

/** Reads an optional list of objects (e.g. CloudTrail `LookupAttributes`). */
export function optionalObjectList(input: JsonObject, field: string): JsonObject[] {
  const value = input[field];
  if (value === undefined || value === null) return [];
  const list: unknown[] = Array.isArray(value) ? value : [];
  if (!Array.isArray(value) || !list.every(isObject)) throw wrongType(field, 'a list of structures');
  return list.filter(isObject);
}
