import { operation } from '../../shared/api/operation';
import { getAccessRequest } from '../../shared/api/routes/getAccessRequest';

export const handler = operation(getAccessRequest, async ({ input, deps, caller, audit }) => deps.accessRequests.get(caller, input.params.requestId, audit));
