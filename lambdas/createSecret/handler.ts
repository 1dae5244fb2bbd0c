import { operation } from '../../shared/api/operation';
import { createSecret } from '../../shared/api/routes/createSecret';

export const handler = operation(createSecret, async ({ input, deps, audit }) => deps.secretService.create(input.body, audit));
