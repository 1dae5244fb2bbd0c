/**
 * The actions a policy can allow or deny. Secret actions are checked against a secret path;
 * global actions are not about one secret and are checked against the global scope `*`.
 */
export const ACTIONS = [
  'otp:generate',
  'recovery:reveal',
  'secret:read',
  'secret:reveal',
  'secret:write',
  'seed:overwrite',
  'template:manage',
  'policy:manage',
  'audit:read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** In a policy's `actions`, `*` stands for every action, including actions added in later versions. */
export const ALL_ACTIONS = '*';

/** Where an action is checked: on one secret path, or on the global scope `*`. */
export const ActionScope = { secret: 'secret', global: 'global' } as const;
export type ActionScope = (typeof ActionScope)[keyof typeof ActionScope];

/** One line per action: what it lets a caller do, and where it is checked. */
export const ACTION_DETAILS = {
  'otp:generate': { scope: ActionScope.secret, description: 'Generate the current one-time code from a secret\'s seed.' },
  'recovery:reveal': { scope: ActionScope.secret, description: 'Reveal a recovery code stored with a secret.' },
  'secret:read': { scope: ActionScope.secret, description: 'Read a secret\'s metadata and its non-sensitive fields.' },
  'secret:reveal': { scope: ActionScope.secret, description: 'Reveal one sensitive field of a secret per request.' },
  'secret:write': { scope: ActionScope.secret, description: 'Create, change or delete a secret and its fields.' },
  'seed:overwrite': { scope: ActionScope.secret, description: 'Replace the MFA seed of an existing secret.' },
  'template:manage': { scope: ActionScope.global, description: 'Create, change and delete secret templates.' },
  'policy:manage': { scope: ActionScope.global, description: 'Create, change and delete access policies.' },
  'audit:read': { scope: ActionScope.global, description: 'Read the audit log.' },
} as const satisfies Record<Action, { scope: ActionScope; description: string }>;

const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);

/** True when `value` names a known action (not `*`). */
export function isAction(value: string): value is Action {
  return ACTION_SET.has(value);
}

/** Actions checked against secret paths, in catalogue order. */
export const SECRET_ACTIONS: readonly Action[] = ACTIONS.filter((a) => ACTION_DETAILS[a].scope === ActionScope.secret);

/** Actions checked against the global scope `*`, in catalogue order. */
export const GLOBAL_ACTIONS: readonly Action[] = ACTIONS.filter((a) => ACTION_DETAILS[a].scope === ActionScope.global);

/** Bit of an action in an action mask (internal: masks make per-path evaluation a few integer operations). */
export function actionBit(action: Action): number {
  return 1 << ACTIONS.indexOf(action);
}

const ALL_ACTIONS_MASK = (1 << ACTIONS.length) - 1;
export const SECRET_ACTIONS_MASK = SECRET_ACTIONS.reduce((mask, a) => mask | actionBit(a), 0);
export const GLOBAL_ACTIONS_MASK = GLOBAL_ACTIONS.reduce((mask, a) => mask | actionBit(a), 0);

/** Mask for a policy's `actions`: `*` is every action; unknown names (say, from a newer writer) grant and deny nothing. */
export function actionMask(actions: readonly string[]): number {
  let mask = 0;
  for (const a of actions) {
    if (a === ALL_ACTIONS) return ALL_ACTIONS_MASK;
    if (isAction(a)) mask |= actionBit(a);
  }
  return mask;
}

const maskCache = new Map<number, readonly Action[]>();

/** The actions in a mask, in catalogue order (a fresh array the caller may keep). */
export function actionsInMask(mask: number): Action[] {
  let cached = maskCache.get(mask);
  if (!cached) {
    cached = ACTIONS.filter((a) => (mask & actionBit(a)) !== 0);
    maskCache.set(mask, cached);
  }
  return cached.slice();
}
