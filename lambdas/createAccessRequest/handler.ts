import { operation } from '../../shared/api/operation';
import { createAccessRequest } from '../../shared/api/routes/createAccessRequest';

export const handler = operation(createAccessRequest, async ({ input, deps, caller, audit }) => deps.accessRequests.create(caller, input.body, audit));
