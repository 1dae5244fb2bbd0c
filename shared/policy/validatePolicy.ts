import { InvalidInputError } from '../errors';
import { PolicyDocumentSchema, type PolicyDocument } from './schema';

/** One problem found in a policy document: where (`conditions.sourceIp[1]`) and what. */
export interface PolicyIssue {
  path: string;
  message: string;
}

/**
 * Check a policy document as a client sent it.
 *
 * @param input - the parsed JSON body
 * @returns the document, typed
 * @throws InvalidInputError naming every problem; `details.issues` lists them as `{ path, message }`
 * @example
 * validatePolicy({ name: 'ops', effect: 'allow', principals: ['group:ops'], resources: ['/aws/**'], actions: ['otp:generate'] });
 */
export function validatePolicy(input: unknown): PolicyDocument {
  const result = PolicyDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: PolicyIssue[] = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const summary = issues.map(describeIssue).join('; ');
  throw new InvalidInputError(`invalid policy: ${summary}`, { issues }, 'InvalidPolicy');
}

/** `conditions.notAfter: notAfter must be…` reads as `conditions.notAfter must be…`. */
function describeIssue({ path, message }: PolicyIssue): string {
  if (!path) return message;
  const lead = message.split(' ', 1)[0];
  if (path === lead || path.endsWith(`.${lead}`)) return path + message.slice(lead.length);
  return `${path}: ${message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}
