import { PolicyAdmin } from '../../policy/store/PolicyAdmin';
import { builtOnce, type Deps } from '../deps';
import { users } from './users';

/** Creates, replaces and deletes policies (built-ins read-only, no lock-out, audited). */
export const policyAdmin = (deps: Deps): PolicyAdmin => builtOnce(deps, policyAdmin, () => new PolicyAdmin(deps.policies, users(deps)));
