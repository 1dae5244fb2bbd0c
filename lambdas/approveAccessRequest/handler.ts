import { operation } from '../../shared/api/operation';
import { approveAccessRequest } from '../../shared/api/routes/approveAccessRequest';

export const handler = operation(approveAccessRequest, async ({ input, deps, caller, audit }) =>
  deps.accessRequests.approve(caller, input.params.requestId, input.body.comment, audit),
);
