/** ListAliases: the caller region's aliases, optionally for one key, paged with Limit and Marker. */
import { ErrorType, ServiceError } from '../errors';
import { optionalInteger, optionalString } from '../input';
import type { Operation } from '../operation';

const DEFAULT_LIMIT = 50;

export const listAliases: Operation = {
  name: 'ListAliases',
  run(input, { caller, keys }) {
    const keyIdentifier = optionalString(input, 'KeyId', { min: 1, max: 2048 });
    const limit = optionalInteger(input, 'Limit', 1, 100) ?? DEFAULT_LIMIT;
    const marker = optionalString(input, 'Marker', { min: 1, max: 1024 });
    const keyId = keyIdentifier === undefined ? undefined : keys.resolve(keyIdentifier, caller.region).keyId;
    const all = keys.listAliases(caller.region).filter((alias) => keyId === undefined || alias.targetKeyId === keyId);
    const start = marker === undefined ? 0 : all.findIndex((alias) => alias.aliasName === marker);
    if (start < 0) throw new ServiceError(ErrorType.invalidMarker, 'The marker is not valid.');
    const page = all.slice(start, start + limit);
    const next = all[start + limit];
    return {
      Aliases: page.map((alias) => ({
        AliasName: alias.aliasName,
        AliasArn: alias.arn,
        TargetKeyId: alias.targetKeyId,
        CreationDate: alias.createdAt.getTime() / 1000,
        LastUpdatedDate: alias.updatedAt.getTime() / 1000,
      })),
      Truncated: next !== undefined,
      ...(next !== undefined && { NextMarker: next.aliasName }),
    };
  },
};
