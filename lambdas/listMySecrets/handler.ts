import { mySecrets } from '../../shared/access';
import { operation } from '../../shared/api/operation';
import { listMySecrets } from '../../shared/api/routes/listMySecrets';

/** "My secrets": every secret the caller may use and the actions allowed on each. */
export const handler = operation(listMySecrets, async ({ input, deps, scope }) => {
  const mine = await mySecrets(deps.secrets, scope, input.query.prefix);
  Object.assign(scope.audit.details, { returned: mine.items.length, examined: mine.examined });
  return { items: mine.items, examined: mine.examined };
});
