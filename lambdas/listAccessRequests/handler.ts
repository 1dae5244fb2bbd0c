import { operation } from '../../shared/api/operation';
import { listAccessRequests } from '../../shared/api/routes/listAccessRequests';

export const handler = operation(listAccessRequests, async ({ input, deps, caller, audit }) => {
  const page = await deps.accessRequests.list(caller, input.query);
  audit.details.returned = page.items.length;
  return page;
});
