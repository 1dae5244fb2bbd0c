import { BUILTIN_ADMINS_POLICY, PolicyEngine, PolicyOutcome, type Action } from '../../../shared/policy/index';
import { allowPolicy, denyPolicy, request } from './helpers';

describe('PolicyEngine.decide', () => {
  it('denies by default when no policy names the caller', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ principals: ['user:bob'] })]);
    // Act
    const decision = engine.decide(request(), 'otp:generate', '/aws/prod/root');
    // Assess
    expect(decision).toEqual({ allowed: false, reason: 'not allowed to otp:generate on /aws/prod/root', decidedBy: [], evaluated: [] });
  });

  it('allows when an allow covers the action and the path, naming the policy', () => {
    // Prepare
    const policy = allowPolicy({ id: 'ops', name: 'ops on aws', resources: ['/aws/**'], actions: ['otp:generate'] });
    const engine = new PolicyEngine([policy]);
    // Act
    const decision = engine.decide(request(), 'otp:generate', '/aws/prod/root');
    // Assess
    expect(decision.allowed).toBe(true);
    expect(decision.reason).toBe('allowed to otp:generate on /aws/prod/root');
    expect(decision.decidedBy).toEqual([{ id: 'ops', name: 'ops on aws', effect: 'allow' }]);
  });

  it.each<[string, Action, string, boolean]>([
    ['an action the allow lists', 'otp:generate', '/aws/x', true],
    ['an action the allow does not list', 'secret:reveal', '/aws/x', false],
    ['a path outside the allow', 'otp:generate', '/gcp/x', false],
  ])('decides %s', (_case, action, path, expected) => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ resources: ['/aws/**'], actions: ['otp:generate', 'secret:read'] })]);
    // Act
    const decision = engine.decide(request(), action, path);
    // Assess
    expect(decision.allowed).toBe(expected);
  });

  it('lets an applicable deny beat any number of allows, and names the deny', () => {
    // Prepare
    const deny = denyPolicy({ id: 'no-root', name: 'no root', resources: ['/aws/*/root'], actions: ['secret:reveal'] });
    const engine = new PolicyEngine([allowPolicy({ id: 'a1' }), deny, allowPolicy({ id: 'a2', resources: ['/aws/prod/root'] })]);
    // Act
    const decision = engine.decide(request(), 'secret:reveal', '/aws/prod/root');
    // Assess
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe('not allowed to secret:reveal on /aws/prod/root');
    expect(decision.decidedBy).toEqual([{ id: 'no-root', name: 'no root', effect: 'deny' }]);
    expect(decision.evaluated.map((e) => [e.id, e.outcome])).toEqual([
      ['a1', PolicyOutcome.applied],
      ['no-root', PolicyOutcome.applied],
      ['a2', PolicyOutcome.applied],
    ]);
  });

  it('ignores a deny for another action or another path', () => {
    // Prepare
    const engine = new PolicyEngine([
      allowPolicy(),
      denyPolicy({ id: 'd1', resources: ['/aws/**'], actions: ['secret:write'] }),
      denyPolicy({ id: 'd2', resources: ['/gcp/**'], actions: ['otp:generate'] }),
    ]);
    // Act
    const decision = engine.decide(request(), 'otp:generate', '/aws/prod/root');
    // Assess
    expect(decision.allowed).toBe(true);
    expect(decision.evaluated.filter((e) => e.effect === 'deny').map((e) => [e.id, e.outcome])).toEqual([
      ['d1', PolicyOutcome.actionNotCovered],
      ['d2', PolicyOutcome.resourceNotMatched],
    ]);
  });

  it.each([
    ['a user named directly', { principal: 'user:alice', groups: [] }, ['user:alice'], true],
    ['a user through a group', { principal: 'user:alice', groups: ['ops'] }, ['group:ops'], true],
    ['a user through a group given with its prefix', { principal: 'user:alice', groups: ['group:ops'] }, ['group:ops'], true],
    ['a user not in the group', { principal: 'user:alice', groups: ['dev'] }, ['group:ops'], false],
    ['a service', { principal: 'service:deploy-bot', groups: [] }, ['service:deploy-bot'], true],
    ['a role by ARN', { principal: 'role:arn:aws:iam::123456789012:role/ci', groups: [] }, ['role:arn:aws:iam::123456789012:role/ci'], true],
    ['another role', { principal: 'role:arn:aws:iam::123456789012:role/ci2', groups: [] }, ['role:arn:aws:iam::123456789012:role/ci'], false],
    ['a principal differing in case', { principal: 'user:Alice', groups: [] }, ['user:alice'], false],
    ['a user whose name is a group name', { principal: 'user:ops', groups: [] }, ['group:ops'], false],
  ])('matches principals: %s -> %s', (_case, caller, principals, expected) => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ principals })], { includeBuiltins: false });
    // Act
    const decision = engine.decide(request(caller), 'secret:read', '/aws/x');
    // Assess
    expect(decision.allowed).toBe(expected);
  });

  it('applies a deny on a group to its members even when the user is allowed directly', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy(), denyPolicy({ principals: ['group:contractors'], resources: ['/aws/prod/**'] })]);
    // Act
    const member = engine.decide(request({ groups: ['contractors'] }), 'otp:generate', '/aws/prod/root');
    const other = engine.decide(request({ groups: [] }), 'otp:generate', '/aws/prod/root');
    // Assess
    expect(member.allowed).toBe(false);
    expect(other.allowed).toBe(true);
  });

  it('evaluates a policy naming the caller twice (user and group) once', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ id: 'both', principals: ['user:alice', 'group:ops'] })]);
    // Act
    const decision = engine.decide(request({ groups: ['ops'] }), 'secret:read', '/a');
    // Assess
    expect(decision.evaluated.map((e) => e.id)).toEqual(['both']);
  });

  it('gives group admins every action on every path and on the global scope through the built-in policy', () => {
    // Prepare
    const engine = new PolicyEngine([]);
    const admin = request({ principal: 'user:root', groups: ['admins'] });
    // Act
    const secret = engine.decide(admin, 'seed:overwrite', '/aws/prod/root');
    const global = engine.decide(admin, 'policy:manage', '*');
    const outsider = engine.decide(request(), 'policy:manage', '*');
    // Assess
    expect(secret.allowed).toBe(true);
    expect(global.decidedBy).toEqual([{ id: 'builtin-admins', name: BUILTIN_ADMINS_POLICY.name, effect: 'allow' }]);
    expect(outsider.allowed).toBe(false);
  });

  it('keeps the built-in policy when a stored policy claims its id', () => {
    // Prepare: a tampered copy that would let everyone in group ops do everything
    const engine = new PolicyEngine([{ ...BUILTIN_ADMINS_POLICY, principals: ['group:ops'] }]);
    // Act
    const ops = engine.decide(request({ groups: ['ops'] }), 'policy:manage', '*');
    const admins = engine.decide(request({ groups: ['admins'] }), 'policy:manage', '*');
    // Assess
    expect(ops.allowed).toBe(false);
    expect(admins.allowed).toBe(true);
  });

  it('lets a deny beat the built-in admin grant', () => {
    // Prepare
    const engine = new PolicyEngine([denyPolicy({ principals: ['group:admins'], resources: ['/aws/prod/**'], actions: ['secret:reveal'] })]);
    // Act
    const decision = engine.decide(request({ groups: ['admins'] }), 'secret:reveal', '/aws/prod/root');
    // Assess
    expect(decision.allowed).toBe(false);
  });

  it.each<[string, string[], Action, string, boolean]>([
    ['a global action on "*" through resource "*"', ['*'], 'policy:manage', '*', true],
    ['a global action on "*" through resource "/**"', ['/**'], 'audit:read', '*', true],
    ['a global action on "*" when resources are only paths', ['/aws/**'], 'audit:read', '*', false],
    ['a global action asked on a secret path', ['*', '/**'], 'template:manage', '/aws/x', false],
    ['a secret action on "*"', ['/**'], 'secret:read', '*', false],
    ['a secret action on a path through resource "*" only', ['*'], 'secret:read', '/aws/x', false],
  ])('scopes actions: %s', (_case, resources, action, path, expected) => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ resources, actions: ['*'] })]);
    // Act
    const decision = engine.decide(request(), action, path);
    // Assess
    expect(decision.allowed).toBe(expected);
  });

  it('explains a scope mismatch in the evaluation, not in the reason', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy()]);
    // Act
    const decision = engine.decide(request(), 'audit:read', '/aws/x');
    // Assess
    expect(decision.reason).toBe('not allowed to audit:read on /aws/x');
    expect(decision.evaluated[0]).toMatchObject({ outcome: PolicyOutcome.resourceNotMatched, note: 'audit:read is checked only against the global scope "*"' });
  });

  it('gives the same denial message for a path that exists and one that does not', () => {
    // Prepare: only the policy names /aws/prod/root; nothing in the engine knows which secrets exist
    const engine = new PolicyEngine([denyPolicy({ resources: ['/aws/prod/root'] }), allowPolicy({ principals: ['user:bob'] })]);
    // Act
    const explicit = engine.decide(request(), 'secret:read', '/aws/prod/root');
    const implicit = engine.decide(request(), 'secret:read', '/aws/prod/nothing-here');
    // Assess
    expect(explicit.reason).toBe('not allowed to secret:read on /aws/prod/root');
    expect(implicit.reason).toBe('not allowed to secret:read on /aws/prod/nothing-here');
  });

  it('denies an action it does not know, even to a "*" allow', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy()]);
    // Act
    const decision = engine.decide(request(), 'secret:purge' as Action, '/aws/x');
    // Assess
    expect(decision.allowed).toBe(false);
  });

  it('cost does not depend on policies for other principals', () => {
    // Prepare
    const others = Array.from({ length: 2000 }, (_, i) => allowPolicy({ principals: [`user:u${i}`, `group:g${i}`] }));
    const engine = new PolicyEngine([...others, allowPolicy({ id: 'mine' })]);
    // Act
    const decision = engine.decide(request({ groups: ['g1'] }), 'secret:read', '/x');
    // Assess: only the caller's own policy and its group's policy were looked at
    expect(decision.evaluated.map((e) => e.id)).toEqual([others[1].id, 'mine']);
  });
});
