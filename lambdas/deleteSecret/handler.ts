import { operation } from '../../shared/api/operation';
import { deleteSecret } from '../../shared/api/routes/deleteSecret';
import { secretService } from '../../shared/api/services/secretService';

export const handler = operation(deleteSecret, async ({ deps, audit, secret }) => {
  await secretService(deps).delete(secret, audit);
});
