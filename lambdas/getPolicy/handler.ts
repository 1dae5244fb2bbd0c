import { operation } from '../../shared/api/operation';
import { getPolicy } from '../../shared/api/routes/getPolicy';

export const handler = operation(getPolicy, async ({ input, deps }) => deps.policyAdmin.get(input.params.policyId));
