import { operation } from '../../shared/api/operation';
import { createSecret } from '../../shared/api/routes/createSecret';
import { secretService } from '../../shared/api/services/secretService';

export const handler = operation(createSecret, async ({ input, deps, audit }) => secretService(deps).create(input.body, audit));
