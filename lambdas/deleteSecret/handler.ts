import { operation } from '../../shared/api/operation';
import { deleteSecret } from '../../shared/api/routes/deleteSecret';

export const handler = operation(deleteSecret, async ({ deps, audit, secret }) => {
  await deps.secretService.delete(secret, audit);
});
