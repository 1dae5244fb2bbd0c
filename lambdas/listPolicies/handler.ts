import { operation } from '../../shared/api/operation';
import { listPolicies } from '../../shared/api/routes/listPolicies';
import { policyAdmin } from '../../shared/api/services/policyAdmin';

export const handler = operation(listPolicies, async ({ deps }) => policyAdmin(deps).list());
