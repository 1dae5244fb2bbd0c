import { operation } from '../../shared/api/operation';
import { withdrawAccessRequest } from '../../shared/api/routes/withdrawAccessRequest';

export const handler = operation(withdrawAccessRequest, async ({ input, deps, caller, audit }) => deps.accessRequests.withdraw(caller, input.params.requestId, audit));
