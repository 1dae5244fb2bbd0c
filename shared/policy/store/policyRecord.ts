import type { Policy } from '../types';
import type { PolicyDocument } from '../schema';

/** A stored policy: the document, its id, and who changed it when. */
export interface PolicyRecord extends Policy {
  /** Bumped on every change of this policy; `PUT`/`DELETE` may name the version they expect. */
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** The policies in force and the policy-set version they were read at. */
export interface PolicySet {
  /** 0 before the first policy change. */
  version: number;
  policies: PolicyRecord[];
}

/** Only the document's own fields, whatever else `source` carries (ids, versions, item keys). */
export function documentOf(source: PolicyDocument): PolicyDocument {
  const { name, description, effect, principals, resources, actions, conditions, approval } = source;
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    effect,
    principals,
    resources,
    actions,
    ...(conditions !== undefined ? { conditions } : {}),
    ...(approval !== undefined ? { approval } : {}),
  };
}

/** Ids of stored policies (`pol-<ulid>`) and built-ins (`builtin-admins`). */
export const POLICY_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
