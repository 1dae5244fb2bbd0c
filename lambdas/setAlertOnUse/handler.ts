import { operation } from '../../shared/api/operation';
import { setAlertOnUse } from '../../shared/api/routes/setAlertOnUse';
import { ConflictError } from '../../shared/errors';
import { isConditionFailure } from '../../shared/store/transactions';

export const handler = operation(setAlertOnUse, async ({ input, deps, audit, secret }) => {
  const on = input.body.alertOnUse;
  const at = new Date(deps.clock.now()).toISOString();
  try {
    await audit.inTransaction(200, on ? 'alerts on use enabled' : 'alerts on use disabled', { alertOnUse: on }, (item) =>
      deps.secrets.setAlertOnUse(secret, on, at, audit.principal?.id ?? 'unknown', item),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError('the secret changed meanwhile; try again', 'ConcurrentChange');
    throw error;
  }
  return { id: secret.id, path: secret.path, alertOnUse: on };
});
