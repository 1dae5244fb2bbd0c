import { operation } from '../../shared/api/operation';
import { createSecret } from '../../shared/api/routes/createSecret';

export const handler = operation(createSecret, async ({ input, deps, scope }) => deps.secretService.create(input.body, scope.audit));
