/**
 * Key identifiers as KMS accepts them: key id, key ARN, alias name, alias ARN. Everything lives in
 * one fixed local account.
 */
import { ErrorType, ServiceError } from './errors';

/** The account every emulated key and alias belongs to. */
export const ACCOUNT_ID = '000000000000';

export function keyArn(region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${keyId}`;
}

export function aliasArn(region: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${ACCOUNT_ID}:${aliasName}`;
}

/** What a `KeyId` member names, once parsed. */
export type KeyIdentifier =
  | { kind: 'key'; keyId: string; region?: string }
  | { kind: 'alias'; aliasName: string; region?: string };

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;
const ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(.+)$/;

/** Whether a string has the shape of a KMS key id (a UUID). */
function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}

/** Whether a string is a syntactically valid alias name (`alias/...`). */
export function isAliasName(value: string): boolean {
  return ALIAS_NAME.test(value);
}

/**
 * Parses a `KeyId` member. A malformed identifier, or an ARN in another account, is a
 * `NotFoundException`, as KMS answers.
 */
export function parseKeyIdentifier(value: string): KeyIdentifier {
  if (isKeyId(value)) return { kind: 'key', keyId: value };
  if (isAliasName(value)) return { kind: 'alias', aliasName: value };
  const arn = ARN.exec(value);
  if (arn !== null && arn[2] === ACCOUNT_ID) {
    const [, region, , resource] = arn;
    if (resource.startsWith('key/') && isKeyId(resource.slice(4))) {
      return { kind: 'key', keyId: resource.slice(4), region };
    }
    if (isAliasName(resource)) return { kind: 'alias', aliasName: resource, region };
  }
  throw new ServiceError(ErrorType.notFound, `Invalid keyId '${value}'`);
}
