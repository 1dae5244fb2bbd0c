import { operation } from '../../shared/api/operation';
import { getPolicy } from '../../shared/api/routes/getPolicy';
import { policyAdmin } from '../../shared/api/services/policyAdmin';

export const handler = operation(getPolicy, async ({ input, deps }) => policyAdmin(deps).get(input.params.policyId));
