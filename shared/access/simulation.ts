import * as z from 'zod';
import type { AccessRules } from './PolicyRules';
import { principal as principalOf, type PrincipalKind } from '../auth/principal';
import { ACTIONS, bindingWarnings, GLOBAL_SCOPE, PolicyDocumentSchema, type Decision } from '../policy';
import { InvalidInputError } from '../errors';
import type { UserDirectory } from '../users/UserDirectory';

const GROUP_NAME = /^[A-Za-z0-9._@+=-]{1,128}$/;

/** The body of `POST /v1/policies/simulate`: a request as the engine would see it. */
export const SimulationSchema = z
  .object({
    principal: PolicyDocumentSchema.shape.principals.element
      .refine((p) => !p.startsWith('group:'), 'simulate a caller (user:, service: or role:) and list its groups in "groups"')
      .describe('The caller: user:<name>, service:<name> or role:<IAM role ARN>'),
    groups: z
      .array(z.string().regex(GROUP_NAME, 'a group name is 1 to 128 of letters, digits and "._@+=-"'))
      .max(100, 'at most 100 groups')
      .default([])
      .describe('Groups the caller is in, as names (ops, not group:ops)'),
    action: z
      .enum(ACTIONS, { error: (issue) => `unknown action ${JSON.stringify(issue.input)}; known actions are ${ACTIONS.join(', ')}` })
      .describe('The action asked for'),
    path: z
      .string()
      .min(1)
      .max(1024)
      .describe(`A secret path for secret actions, "${GLOBAL_SCOPE}" for template:manage, policy:manage and audit:read`),
    sourceIp: z.union([z.ipv4(), z.ipv6()], { error: 'sourceIp must be an IPv4 or IPv6 address' }).optional().describe('Source IP of the request; without it, allows with a sourceIp condition do not apply'),
    time: z.iso
      .datetime({ offset: true, error: 'time must be an ISO 8601 date-time with a Z or +hh:mm offset' })
      .optional()
      .describe('When the request happens (ISO 8601); now when omitted'),
  })
  .strict();
export type SimulationRequest = z.output<typeof SimulationSchema>;

export interface Simulation extends Decision {
  /** The request as evaluated (time resolved). */
  request: { principal: string; groups: string[]; action: string; path: string; sourceIp?: string; time: string };
  /** Version of the policy set the simulation ran against. */
  policySetVersion: number;
  /**
   * For a simulated user: the policies naming it that were bound to another account (the user was
   * re-created since they were saved), which therefore do not apply to the user as it is now.
   */
  warnings?: string[];
}

/**
 * What the engine would decide for a request, with the policies that decided it and, for every
 * other policy naming the caller or its groups, why it did not apply (action, resource or
 * conditions). Policies that name neither are not listed: they never take part.
 *
 * A simulated user is the account its name has now (its current sub, from the user directory),
 * so a policy bound to an earlier account of that name does not apply, as for the real caller.
 *
 * @param rules - the rules in force
 * @param request - the simulated request
 * @param nowMs - the time used when the request names none
 * @param users - the user directory (a simulated user must exist: 400 otherwise)
 * @example
 * await simulate(caller.rules, { principal: 'user:bob', groups: ['ops'], action: 'otp:generate', path: '/aws/prod/root' }, Date.now(), deps.users);
 */
export async function simulate(rules: AccessRules, request: SimulationRequest, nowMs: number, users: UserDirectory): Promise<Simulation> {
  const colon = request.principal.indexOf(':');
  const kind = request.principal.slice(0, colon) as PrincipalKind;
  const name = request.principal.slice(colon + 1);
  let sub: string | undefined;
  let warnings: string[] = [];
  if (kind === 'user') {
    sub = await users.subOf(name);
    if (sub === undefined) throw new InvalidInputError(`no user ${name} in the user pool`, { principal: request.principal }, 'UnknownUser');
    const current = new Map([[name, sub]]);
    const naming = rules.policies.filter((p) => (p.principals ?? []).includes(request.principal));
    warnings = [...new Set(naming.flatMap((p) => bindingWarnings({ principals: [request.principal] }, p.userSubs, current).map((w) => `${p.name} (${p.id}): ${w}`)))];
  }
  const caller = principalOf(kind, name, request.groups, sub);
  const timeMs = request.time !== undefined ? Date.parse(request.time) : nowMs;
  const decision = rules.decide({ principal: caller, sourceIp: request.sourceIp, timeMs, action: request.action, path: request.path });
  return {
    ...decision,
    request: {
      principal: caller.id,
      groups: caller.groups,
      action: request.action,
      path: request.path,
      ...(request.sourceIp !== undefined ? { sourceIp: request.sourceIp } : {}),
      time: new Date(timeMs).toISOString(),
    },
    policySetVersion: rules.version,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
