import { operation } from '../../shared/api/operation';
import { denyAccessRequest } from '../../shared/api/routes/denyAccessRequest';

export const handler = operation(denyAccessRequest, async ({ input, deps, caller, audit }) =>
  deps.accessRequests.deny(caller, input.params.requestId, input.body.comment, audit),
);
