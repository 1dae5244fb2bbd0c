import { operation } from '../../shared/api/operation';
import { getSecret } from '../../shared/api/routes/getSecret';
import { secretService } from '../../shared/api/services/secretService';

export const handler = operation(getSecret, async ({ deps, secret }) => secretService(deps).view(secret));
