import { listReadable } from '../../shared/access';
import { operation } from '../../shared/api/operation';
import { listSecrets } from '../../shared/api/routes/listSecrets';

/**
 * Only secrets the caller may `secret:read`: index pages are filtered with the engine (all paths
 * of a page at once) until the page is full or the read budget is spent; see `listReadable`.
 */
const [readAction] = listSecrets.authorize.anyOf;

export const handler = operation(listSecrets, async ({ input, deps, caller, audit }) => {
  const page = await listReadable(deps.secrets, input.query, (paths) => {
    const permissions = caller.permissionsFor(paths);
    return new Set(paths.filter((path) => permissions.get(path)?.includes(readAction)));
  });
  Object.assign(audit.details, { returned: page.items.length, examined: page.examined });
  return { items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
});
