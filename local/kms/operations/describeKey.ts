/** DescribeKey: the metadata of the key a key id, key ARN, alias name or alias ARN names. */
import { requiredString } from '../input';
import { keyMetadata } from '../keyMetadata';
import type { Operation } from '../operation';

export const describeKey: Operation = {
  name: 'DescribeKey',
  run(input, { caller, keys }) {
    const key = keys.resolve(requiredString(input, 'KeyId', { min: 1, max: 2048 }), caller.region);
    return { KeyMetadata: keyMetadata(key) };
  },
};
