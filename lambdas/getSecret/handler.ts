import { operation } from '../../shared/api/operation';
import { getSecret } from '../../shared/api/routes/getSecret';

export const handler = operation(getSecret, async ({ deps, secret }) => deps.secretService.view(secret));
