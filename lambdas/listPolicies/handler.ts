import { operation } from '../../shared/api/operation';
import { listPolicies } from '../../shared/api/routes/listPolicies';

export const handler = operation(listPolicies, async ({ deps }) => deps.policyAdmin.list());
