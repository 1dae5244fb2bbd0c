import { ALL_ACTIONS } from './actions';
import type { Policy } from './types';

/** Group `admins` may do every action everywhere. Built in: it cannot be changed or deleted. */
export const BUILTIN_ADMINS_POLICY: Readonly<Policy> = Object.freeze({
  id: 'builtin-admins',
  builtin: true,
  name: 'Administrators',
  description: 'Members of group admins may do every action on every secret and on the global scope.',
  effect: 'allow',
  principals: Object.freeze(['group:admins']) as string[],
  resources: Object.freeze(['/**']) as string[],
  actions: Object.freeze([ALL_ACTIONS]) as (typeof ALL_ACTIONS)[],
});

/** Every built-in policy. */
export const BUILTIN_POLICIES: readonly Readonly<Policy>[] = Object.freeze([BUILTIN_ADMINS_POLICY]);

const BUILTIN_IDS: ReadonlySet<string> = new Set(BUILTIN_POLICIES.map((p) => p.id));

/** True for the id of a built-in policy (which must not be created, changed or deleted through the API). */
export function isBuiltinPolicyId(id: string): boolean {
  return BUILTIN_IDS.has(id);
}
