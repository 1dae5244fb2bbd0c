import { listReadable } from '../../shared/access';
import { operation } from '../../shared/api/operation';

/**
 * Only secrets the caller may `secret:read`: index pages are filtered with the engine (all paths
 * of a page at once) until the page is full or the read budget is spent; see `listReadable`.
 */
export const handler = operation('listSecrets', async ({ input, deps, scope }) => {
  scope.authorizeSomewhere('secret:read');
  const page = await listReadable(deps.secrets, { ...input.query, caller: scope.principal.id }, (paths) => {
    const permissions = scope.permissionsFor(paths);
    return new Set(paths.filter((path) => permissions.get(path)?.includes('secret:read')));
  });
  Object.assign(scope.audit.details, { returned: page.items.length, examined: page.examined });
  return { items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
});
