import { mySecrets } from '../../shared/access';
import { operation } from '../../shared/api/operation';
import { listMySecrets } from '../../shared/api/routes/listMySecrets';

/** "My secrets": every secret the caller may use and the actions allowed on each, with the grants it holds now. */
export const handler = operation(listMySecrets, async ({ input, deps, caller, audit }) => {
  const mine = await mySecrets(deps.secrets, caller, input.query.prefix);
  const gated = mine.items.filter((s) => s.needsApproval !== undefined);
  const grants = gated.length > 0 ? await deps.accessRequests.grantsIn(caller.principal, gated, deps.clock.now()) : new Map();
  const items = mine.items.map((s) => (grants.has(s.id) ? { ...s, granted: grants.get(s.id) } : s));
  Object.assign(audit.details, { returned: mine.items.length, examined: mine.examined });
  // Nothing that depends on secrets the caller may not see: `examined` counts them, so it stays in the audit record.
  return { items };
});
