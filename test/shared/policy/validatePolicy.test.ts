import { z } from 'zod';
import { InvalidInputError } from '../../../shared/errors';
import { PolicyDocumentSchema, validatePolicy } from '../../../shared/policy/index';

const valid = {
  name: 'ops on aws',
  description: 'Ops may generate codes for AWS accounts from the office.',
  effect: 'allow',
  principals: ['user:alice', 'group:ops', 'role:arn:aws:iam::123456789012:role/ci', 'service:deploy-bot'],
  resources: ['/aws/**', '/vendors/acme/*'],
  actions: ['otp:generate', 'secret:read'],
  conditions: {
    sourceIp: ['203.0.113.0/24', '2001:db8::/32'],
    timeWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', timeZone: 'Europe/Berlin' },
    notBefore: '2024-01-01T00:00:00Z',
    notAfter: '2025-01-01T00:00:00+01:00',
  },
};

/** The InvalidInputError validatePolicy throws for `input`. */
function rejection(input: unknown): InvalidInputError {
  try {
    validatePolicy(input);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected the policy to be rejected');
}

describe('validatePolicy', () => {
  it('returns a valid document unchanged', () => {
    // Prepare, Act
    const document = validatePolicy(valid);
    // Assess
    expect(document).toEqual(valid);
  });

  it.each([
    ['all actions as "*" on everything', { actions: ['*'], resources: ['/**'] }],
    ['a global action on the global scope', { actions: ['policy:manage', 'audit:read'], resources: ['*'] }],
    ['a deny without conditions', { effect: 'deny', conditions: undefined }],
    ['a window past midnight on every day', { conditions: { timeWindow: { start: '22:00', end: '06:00', timeZone: 'America/New_York' } } }],
    ['a window to the end of the day', { conditions: { timeWindow: { start: '00:00', end: '24:00', timeZone: 'UTC' } } }],
    ['a bare IP and an IPv4-mapped range', { conditions: { sourceIp: ['198.51.100.7', '::ffff:198.51.100.0/120'] } }],
    ['a role with a path', { principals: ['role:arn:aws:iam::123456789012:role/team/ci'] }],
  ])('accepts %s', (_case, change) => {
    // Prepare
    const input = { ...valid, ...change };
    // Act, Assess
    expect(() => validatePolicy(input)).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['an unknown action', { actions: ['otp:generate', 'otp:generat'] }, 'actions[1]', 'unknown action "otp:generat"; known actions are'],
    ['"*" with other actions', { actions: ['*', 'secret:read'] }, 'actions', '"*" already means every action; list it alone'],
    ['empty principals', { principals: [] }, 'principals', 'list at least one principal'],
    ['empty resources', { resources: [] }, 'resources', 'list at least one resource'],
    ['empty actions', { actions: [] }, 'actions', 'list at least one action'],
    ['a principal without a kind', { principals: ['alice'] }, 'principals[0]', 'principal "alice" must start with one of "user:", "group:", "role:", "service:"'],
    ['a principal of an unknown kind', { principals: ['team:ops'] }, 'principals[0]', 'principal "team:ops" must start with one of'],
    ['an empty user name', { principals: ['user:'] }, 'principals[0]', 'principal "user:": a user name is 1 to 128 of letters, digits and "._@+=-"'],
    ['a role that is not an IAM role ARN', { principals: ['role:ci'] }, 'principals[0]', 'principal "role:ci": expected role:arn:aws:iam::<12-digit account>:role/<name>'],
    ['a resource not starting with /', { resources: ['aws/**'] }, 'resources[0]', 'resource "aws/**" must start with "/" (or be "*" for the global scope)'],
    ['a resource with a trailing slash', { resources: ['/aws/'] }, 'resources[0]', 'resource "/aws/" must not end with "/"'],
    ['a resource with an empty segment', { resources: ['/aws//prod'] }, 'resources[0]', 'resource "/aws//prod" has an empty segment ("//")'],
    ['a resource with ** inside a segment', { resources: ['/aws/prod**'] }, 'resources[0]', 'resource "/aws/prod**": "**" must be a whole segment, found "prod**"'],
    ['a resource with a forbidden character', { resources: ['/aws/pr od'] }, 'resources[0]', 'resource "/aws/pr od": segment "pr od" may only contain letters, digits, ".", "_", "-" and "*"'],
    ['the root "/"', { resources: ['/'] }, 'resources[0]', 'resource "/" names no path; use "/**" for everything'],
    ['a global action without a global resource', { actions: ['secret:read', 'audit:read'] }, 'resources', 'audit:read is checked against the global scope, so resources must include "*" or "/**"'],
    ['the global scope with only secret actions', { resources: ['*', '/aws/**'] }, 'resources', '"*" is the global scope, which only template:manage, policy:manage, audit:read are checked against; use "/**" for every secret'],
    ['a malformed CIDR', { conditions: { sourceIp: ['203.0.113.0/33'] } }, 'conditions.sourceIp[0]', '"203.0.113.0/33" is not a CIDR range: prefix must be a whole number from 0 to 32'],
    ['a CIDR that is not an address', { conditions: { sourceIp: ['office/24'] } }, 'conditions.sourceIp[0]', '"office/24" is not a CIDR range: "office" is not an IPv4 or IPv6 address'],
    ['a CIDR with host bits set', { conditions: { sourceIp: ['203.0.113.7/24'] } }, 'conditions.sourceIp[0]', '"203.0.113.7/24" has host bits set; the range is written "203.0.113.0/24"'],
    ['an IPv6 CIDR with host bits set', { conditions: { sourceIp: ['2001:db8::1/32'] } }, 'conditions.sourceIp[0]', '"2001:db8::1/32" has host bits set; the range is written "2001:db8::/32"'],
    ['an empty sourceIp list', { conditions: { sourceIp: [] } }, 'conditions.sourceIp', 'list at least one CIDR range, or omit sourceIp'],
    ['an unknown time zone', { conditions: { timeWindow: { start: '08:00', end: '18:00', timeZone: 'Europe/Atlantis' } } }, 'conditions.timeWindow.timeZone', 'unknown time zone "Europe/Atlantis"; use an IANA name such as Europe/Berlin'],
    ['a start that is not HH:MM', { conditions: { timeWindow: { start: '8:00', end: '18:00', timeZone: 'UTC' } } }, 'conditions.timeWindow.start', '"8:00" is not a 24-hour time HH:MM'],
    ['an end hour past 24', { conditions: { timeWindow: { start: '08:00', end: '25:00', timeZone: 'UTC' } } }, 'conditions.timeWindow.end', '"25:00" is not a 24-hour time HH:MM (or 24:00)'],
    ['a start of 24:00', { conditions: { timeWindow: { start: '24:00', end: '08:00', timeZone: 'UTC' } } }, 'conditions.timeWindow.start', '"24:00" is not a 24-hour time HH:MM'],
    ['an empty window', { conditions: { timeWindow: { start: '08:00', end: '08:00', timeZone: 'UTC' } } }, 'conditions.timeWindow.end', 'start and end are equal, so the window is empty'],
    ['an unknown day', { conditions: { timeWindow: { days: ['monday'], start: '08:00', end: '18:00', timeZone: 'UTC' } } }, 'conditions.timeWindow.days[0]', 'unknown day "monday"; use mon, tue, wed, thu, fri, sat, sun'],
    ['notAfter before notBefore', { conditions: { notBefore: '2024-06-02T00:00:00Z', notAfter: '2024-06-01T00:00:00Z' } }, 'conditions.notAfter', 'notAfter 2024-06-01T00:00:00Z must be later than notBefore 2024-06-02T00:00:00Z'],
    ['a notBefore without an offset', { conditions: { notBefore: '2024-06-02T00:00:00' } }, 'conditions.notBefore', 'notBefore "2024-06-02T00:00:00" is not an ISO 8601 date-time with a Z or +hh:mm offset'],
    ['an unknown effect', { effect: 'permit' }, 'effect', 'effect must be "allow" or "deny", not "permit"'],
    ['a blank name', { name: '  ' }, 'name', 'name must not be blank'],
    ['an unknown field', { principal: ['user:bob'] }, '', 'Unrecognized key: "principal"'],
    ['an unknown condition', { conditions: { mfa: true } }, 'conditions', 'Unrecognized key: "mfa"'],
    ['principals that are not a list', { principals: 'user:alice' }, 'principals', 'principals must be a list'],
  ])('rejects %s, naming the field and the problem', (_case, change, path, message) => {
    // Prepare
    const input = { ...valid, ...change };
    // Act
    const error = rejection(input);
    // Assess
    const issues = (error.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues).toEqual([{ path, message: expect.stringContaining(message) }]);
    expect(error.message).toMatch(/^invalid policy: /);
    expect(error.message).toContain(message);
    expect(error.code).toBe('InvalidPolicy');
  });

  it('names every missing field at once', () => {
    // Prepare, Act
    const error = rejection({});
    // Assess
    expect(error.message).toBe('invalid policy: name is required; effect is required; principals is required; resources is required; actions is required');
  });

  it('rejects something that is not an object', () => {
    // Prepare, Act
    const error = rejection('allow everything');
    // Assess
    expect(error.message).toBe('invalid policy: a policy must be a JSON object');
  });

  it('lists several problems in one error', () => {
    // Prepare
    const input = { ...valid, principals: ['bob'], actions: ['nope'] };
    // Act
    const error = rejection(input);
    // Assess
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(2);
    expect(error.message).toContain('principals[0]: principal "bob"');
    expect(error.message).toContain('actions[0]: unknown action "nope"');
  });

  it('describes every field of the schema', () => {
    // Prepare
    const undescribed: string[] = [];
    const walk = (schema: z.ZodType, path: string, describedAbove: boolean): void => {
      const described = describedAbove || schema.description !== undefined;
      if (schema instanceof z.ZodOptional) return walk(schema.unwrap() as z.ZodType, path, described);
      if (!described) undescribed.push(path);
      if (schema instanceof z.ZodArray) walk(schema.element as z.ZodType, `${path}[]`, false);
      if (schema instanceof z.ZodObject) {
        for (const [key, field] of Object.entries(schema.shape)) walk(field as z.ZodType, path ? `${path}.${key}` : key, false);
      }
    };
    // Act
    walk(PolicyDocumentSchema, '', false);
    // Assess
    expect(undescribed).toEqual([]);
  });
});
