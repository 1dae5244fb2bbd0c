/** CreateAlias: a new `alias/...` name for a key (named by key id or key ARN) in the caller's region. */
import { isAliasName } from '../arns';
import { ErrorType, ServiceError } from '../errors';
import { requiredString } from '../input';
import type { Operation } from '../operation';

export const createAlias: Operation = {
  name: 'CreateAlias',
  async run(input, { caller, keys, now }) {
    const aliasName = requiredString(input, 'AliasName', { min: 1, max: 256 });
    const targetKeyId = requiredString(input, 'TargetKeyId', { min: 1, max: 2048 });
    if (!isAliasName(aliasName)) {
      throw new ServiceError(
        ErrorType.validation,
        `1 validation error detected: Value '${aliasName}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`,
      );
    }
    if (aliasName.startsWith('alias/aws/')) {
      throw new ServiceError(ErrorType.invalidAliasName, `Alias ${aliasName} must not begin with alias/aws/.`);
    }
    if (targetKeyId.startsWith('alias/') || targetKeyId.includes(':alias/')) {
      throw new ServiceError(ErrorType.notFound, `TargetKeyId must be a key id or key ARN, not an alias: ${targetKeyId}`);
    }
    const key = keys.resolve(targetKeyId, caller.region);
    await keys.createAlias(caller.region, aliasName, key.keyId, now);
    return {};
  },
};
