/**
 * The policy document as clients write it, as one zod schema. Field rules give a sentence
 * naming the bad value; rules that span fields (a global action needs a global resource,
 * `notAfter` after `notBefore`, ...) run on the whole document.
 */
import * as z from 'zod';
import { ACTION_DETAILS, ACTIONS, ALL_ACTIONS, GLOBAL_ACTIONS, isAction } from './actions';
import { parseCidr } from './cidr';
import { GLOBAL_SCOPE, patternProblem } from './pathPattern';
import { principalProblem } from './principals';
import { clockMinutes, isKnownTimeZone, WEEKDAYS } from './timeWindow';

/** Most entries accepted in each list of a policy. */
export const POLICY_LIMITS = { principals: 100, resources: 100, sourceIp: 100, name: 128, description: 1024 } as const;

interface IssueInput {
  readonly input?: unknown;
  readonly code?: string;
}

/** Error options: "<what> is required" when missing, "<what> must be <kind>" for the wrong type. */
const expected = (what: string, kind: string) => ({
  error: (issue: IssueInput) =>
    issue.input === undefined ? `${what} is required` : issue.code === 'invalid_type' ? `${what} must be ${kind}` : undefined,
});

/** Turns a `problem(value)` function into a zod check. */
const checkedBy = (problem: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const message = problem(value);
  if (message !== undefined) ctx.addIssue({ code: 'custom', message });
};

const actionNames = [...ACTIONS, ALL_ACTIONS] as const;

const ActionSchema = z
  .enum(actionNames, {
    error: (issue) =>
      `unknown action ${JSON.stringify(issue.input)}; known actions are ${ACTIONS.join(', ')} and "*" for all`,
  })
  .describe(`An action (${ACTIONS.map((a) => `${a}: ${ACTION_DETAILS[a].description}`).join(' ')}) or "*" for every action, including ones added later.`);

const PrincipalSchema = z
  .string(expected('a principal', 'text'))
  .superRefine(checkedBy(principalProblem))
  .describe('user:<name>, group:<name>, service:<name> or role:<IAM role ARN>; matched exactly.');

const ResourceSchema = z
  .string(expected('a resource', 'text'))
  .superRefine(checkedBy(patternProblem))
  .describe('A secret path pattern starting with "/" ("*" within a segment, "**" for any depth; "/**" is everything including the global scope), or "*" for the global scope only.');

const CidrSchema = z
  .string(expected('a source IP range', 'text'))
  .superRefine(checkedBy((value) => {
    const parsed = parseCidr(value);
    return 'problem' in parsed ? parsed.problem : undefined;
  }))
  .describe('An IPv4 or IPv6 CIDR range (a bare address is a single host); IPv4-mapped IPv6 clients match IPv4 ranges.');

const clock = (field: 'start' | 'end') =>
  z
    .string(expected(`timeWindow.${field}`, 'text'))
    .superRefine(checkedBy((value) =>
      clockMinutes(value, field === 'end') === undefined
        ? `"${value}" is not a 24-hour time HH:MM${field === 'end' ? ' (or 24:00)' : ''}`
        : undefined))
    .describe(field === 'start'
      ? 'Local time the window opens, HH:MM (24-hour), inclusive.'
      : 'Local time the window closes, HH:MM or 24:00, exclusive; at or before start means the next day.');

const TimeWindowSchema = z
  .strictObject({
    days: z
      .array(z
        .enum(WEEKDAYS, { error: (issue) => `unknown day ${JSON.stringify(issue.input)}; use ${WEEKDAYS.join(', ')}` })
        .describe('A day of the week in the time zone: mon, tue, wed, thu, fri, sat or sun.'))
      .min(1, 'list at least one day, or omit days for every day')
      .optional()
      .describe('Days the window opens on (mon..sun); every day when omitted. A window past midnight belongs to the day it opens.'),
    start: clock('start'),
    end: clock('end'),
    timeZone: z
      .string(expected('timeWindow.timeZone', 'text'))
      .superRefine(checkedBy((value) => (isKnownTimeZone(value) ? undefined : `unknown time zone ${JSON.stringify(value)}; use an IANA name such as Europe/Berlin`)))
      .describe('IANA time zone whose wall clock the window follows, DST included.'),
  }, expected('timeWindow', 'an object'))
  .superRefine((window, ctx) => {
    if (window.start === window.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'start and end are equal, so the window is empty; use 00:00 to 24:00 for a whole day' });
    }
  })
  .describe('A weekly window of local time the policy applies in.');

const instant = (field: 'notBefore' | 'notAfter') =>
  z.iso
    .datetime({ offset: true, error: (issue) => `${field} ${JSON.stringify(issue.input)} is not an ISO 8601 date-time with a Z or +hh:mm offset` })
    .optional()
    .describe(field === 'notBefore'
      ? 'ISO 8601 instant the policy starts to apply (inclusive).'
      : 'ISO 8601 instant after which the policy no longer applies (inclusive).');

const ConditionsSchema = z
  .strictObject({
    sourceIp: z
      .array(CidrSchema, expected('conditions.sourceIp', 'a list of CIDR ranges'))
      .min(1, 'list at least one CIDR range, or omit sourceIp')
      .max(POLICY_LIMITS.sourceIp, `at most ${POLICY_LIMITS.sourceIp} ranges`)
      .optional()
      .describe('The request must come from one of these ranges; a request without a usable source IP does not qualify.'),
    timeWindow: TimeWindowSchema.optional(),
    notBefore: instant('notBefore'),
    notAfter: instant('notAfter'),
  }, expected('conditions', 'an object'))
  .superRefine((conditions, ctx) => {
    const { notBefore, notAfter } = conditions;
    if (typeof notBefore === 'string' && typeof notAfter === 'string' && Date.parse(notAfter) <= Date.parse(notBefore)) {
      ctx.addIssue({ code: 'custom', path: ['notAfter'], message: `notAfter ${notAfter} must be later than notBefore ${notBefore}` });
    }
  })
  .describe('Every condition given must hold for the policy to apply. A condition that cannot be evaluated keeps an allow from applying and makes a deny apply.');

/** Bounds of an approval block. */
export const APPROVAL_LIMITS = { approvers: 50, minApprovals: 5, grantMinutes: 24 * 60 } as const;

const ApprovalSchema = z
  .strictObject({
    approvers: z
      .array(PrincipalSchema, expected('approval.approvers', 'a list of principals'))
      .min(1, 'list at least one approver')
      .max(APPROVAL_LIMITS.approvers, `at most ${APPROVAL_LIMITS.approvers} approvers`)
      .describe('Who may approve a request: user:, group:, service: or role: principals. Nobody approves their own request.'),
    minApprovals: z
      .number(expected('approval.minApprovals', 'a whole number'))
      .int('approval.minApprovals must be a whole number')
      .min(1, 'approval.minApprovals is at least 1')
      .max(APPROVAL_LIMITS.minApprovals, `approval.minApprovals is at most ${APPROVAL_LIMITS.minApprovals}`)
      .default(1)
      .describe('How many different approvers must approve before the grant starts.'),
    grantMinutes: z
      .number(expected('approval.grantMinutes', 'a whole number of minutes'))
      .int('approval.grantMinutes must be a whole number')
      .min(1, 'approval.grantMinutes is at least 1')
      .max(APPROVAL_LIMITS.grantMinutes, `approval.grantMinutes is at most ${APPROVAL_LIMITS.grantMinutes} (one day)`)
      .default(60)
      .describe('How long a grant holds once approved (a request may ask for less).'),
    justificationRequired: z
      .boolean(expected('approval.justificationRequired', 'true or false'))
      .default(false)
      .describe('A request must say why.'),
  }, expected('approval', 'an object'))
  .describe('The allow applies only under an approved, unexpired grant for the secret and action (just-in-time access).');
export type ApprovalBlock = z.output<typeof ApprovalSchema>;

export const PolicyDocumentSchema = z
  .strictObject({
    name: z
      .string(expected('name', 'text'))
      .max(POLICY_LIMITS.name, `name is longer than ${POLICY_LIMITS.name} characters`)
      .regex(/\S/, 'name must not be blank')
      .describe('Short human-readable name, shown in decisions and audit events.'),
    description: z
      .string(expected('description', 'text'))
      .max(POLICY_LIMITS.description, `description is longer than ${POLICY_LIMITS.description} characters`)
      .optional()
      .describe('What the policy is for.'),
    effect: z
      .enum(['allow', 'deny'], { error: (issue) => (issue.input === undefined ? 'effect is required' : `effect must be "allow" or "deny", not ${JSON.stringify(issue.input)}`) })
      .describe('allow grants the actions; deny refuses them and beats any allow.'),
    principals: z
      .array(PrincipalSchema, expected('principals', 'a list'))
      .min(1, 'list at least one principal')
      .max(POLICY_LIMITS.principals, `at most ${POLICY_LIMITS.principals} principals`)
      .describe('Who the policy is about: a request matches if it is one of these or in one of these groups.'),
    resources: z
      .array(ResourceSchema, expected('resources', 'a list'))
      .min(1, 'list at least one resource')
      .max(POLICY_LIMITS.resources, `at most ${POLICY_LIMITS.resources} resources`)
      .describe('Secret path patterns the policy covers; "*" (or "/**") for the global scope of template:manage, policy:manage and audit:read.'),
    actions: z
      .array(ActionSchema, expected('actions', 'a list'))
      .min(1, 'list at least one action')
      .describe('Actions the policy allows or denies; "*" for all, alone.'),
    conditions: ConditionsSchema.optional(),
    approval: ApprovalSchema.optional(),
  }, { error: (issue) => (issue.code === 'invalid_type' ? 'a policy must be a JSON object' : undefined) })
  .superRefine((doc, ctx) => {
    const actions: readonly string[] = Array.isArray(doc.actions) ? doc.actions : [];
    const resources: readonly string[] = Array.isArray(doc.resources) ? doc.resources : [];
    if (actions.includes(ALL_ACTIONS) && actions.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['actions'], message: '"*" already means every action; list it alone' });
    }
    if (doc.approval !== undefined && doc.effect === 'deny') {
      ctx.addIssue({ code: 'custom', path: ['approval'], message: 'approval belongs to allow policies; a deny needs no approval' });
    }
    if (doc.approval !== undefined && (actions.includes(ALL_ACTIONS) || actions.some((a) => isAction(a) && GLOBAL_ACTIONS.includes(a)))) {
      ctx.addIssue({ code: 'custom', path: ['approval'], message: 'approval covers secret actions only: list them instead of "*" or a global action' });
    }
    const coversGlobal = resources.some((r) => r === GLOBAL_SCOPE || r === '/**');
    const globalActions = actions.filter((a) => isAction(a) && GLOBAL_ACTIONS.includes(a));
    if (globalActions.length > 0 && !coversGlobal && resources.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources'],
        message: `${globalActions.join(', ')} ${globalActions.length === 1 ? 'is' : 'are'} checked against the global scope, so resources must include "*" or "/**"`,
      });
    }
    const onlySecretActions = actions.length > 0 && globalActions.length === 0 && !actions.includes(ALL_ACTIONS);
    if (resources.includes(GLOBAL_SCOPE) && onlySecretActions) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources'],
        message: `"*" is the global scope, which only ${GLOBAL_ACTIONS.join(', ')} are checked against; use "/**" for every secret`,
      });
    }
  })
  .describe('An access policy: who (principals) may or may not (effect) do what (actions) where (resources), and when (conditions).');

export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;
