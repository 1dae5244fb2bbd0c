import { mySecrets } from '../../shared/access';
import { operation } from '../../shared/api/operation';
import { listMySecrets } from '../../shared/api/routes/listMySecrets';

/** "My secrets": every secret the caller may use and the actions allowed on each. */
export const handler = operation(listMySecrets, async ({ input, deps, caller, audit }) => {
  const mine = await mySecrets(deps.secrets, caller, input.query.prefix);
  Object.assign(audit.details, { returned: mine.items.length, examined: mine.examined });
  return { items: mine.items, examined: mine.examined };
});
