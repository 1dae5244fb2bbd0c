import type { Policy, RequestContext } from '../../../shared/policy/index';

let nextId = 0;

/** An allow policy for `user:alice` on everything, with `fields` on top. */
export function allowPolicy(fields: Partial<Policy> = {}): Policy {
  nextId++;
  return {
    id: `p${nextId}`,
    name: `allow ${nextId}`,
    effect: 'allow',
    principals: ['user:alice'],
    resources: ['/**'],
    actions: ['*'],
    ...fields,
  };
}

/** A deny policy for `user:alice` on everything, with `fields` on top. */
export function denyPolicy(fields: Partial<Policy> = {}): Policy {
  return allowPolicy({ name: `deny ${nextId + 1}`, effect: 'deny', ...fields });
}

/** A request by `user:alice` (no groups, no source IP) at 2024-06-03T12:00:00Z, with `fields` on top. */
export function request(fields: Partial<RequestContext> = {}): RequestContext {
  return { principal: 'user:alice', groups: [], timeMs: at('2024-06-03T12:00:00Z'), ...fields };
}

export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
}

import { pick } from '../../helpers/random';

export { pick, seededRandom } from '../../helpers/random';

export function some<T>(random: () => number, items: readonly T[], max: number): T[] {
  const count = 1 + Math.floor(random() * max);
  return Array.from({ length: count }, () => pick(random, items));
}
