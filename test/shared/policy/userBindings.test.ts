import { bindingWarnings, namedUsers, PolicyEngine } from '../../../shared/policy/index';
import { allowPolicy, denyPolicy, request } from './helpers';

// `user:alice` in a policy is the account alice had when the policy was saved (its sub), not
// whoever holds the name now.
const OLD = 'sub-old-alice';
const NEW = 'sub-new-alice';

describe('a policy bound to user subs', () => {
  it('applies to the caller named in it only with the bound sub', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ resources: ['/aws/**'], actions: ['otp:generate'], userSubs: { alice: OLD } })]);
    // Act
    const bound = engine.decide(request({ sub: OLD }), 'otp:generate', '/aws/root');
    const recreated = engine.decide(request({ sub: NEW }), 'otp:generate', '/aws/root');
    const otherName = engine.decide(request({ principal: 'user:bob', sub: OLD }), 'otp:generate', '/aws/root');
    // Assess
    expect(bound.allowed).toBe(true);
    expect(recreated).toMatchObject({ allowed: false, decidedBy: [], evaluated: [] });
    expect(otherName.allowed).toBe(false);
  });

  it('matches nobody by name when it carries no binding (saved before bindings existed)', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ resources: ['/aws/**'], actions: ['otp:generate'] })]);
    // Act
    const decision = engine.decide(request({ sub: OLD }), 'otp:generate', '/aws/root');
    // Assess
    expect(decision.allowed).toBe(false);
  });

  it('still applies through a group it names, whatever the user binding', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ principals: ['user:alice', 'group:ops'], actions: ['otp:generate'], userSubs: { alice: OLD } })]);
    // Act
    const decision = engine.decide(request({ sub: NEW, groups: ['ops'] }), 'otp:generate', '/aws/root');
    // Assess
    expect(decision.allowed).toBe(true);
  });

  it('denies only the bound account too: a stale deny binds nobody, a current one still wins', () => {
    // Prepare
    const allow = allowPolicy({ principals: ['group:ops'], actions: ['otp:generate'] });
    const deny = denyPolicy({ actions: ['otp:generate'], userSubs: { alice: OLD } });
    const engine = new PolicyEngine([allow, deny]);
    // Act
    const old = engine.decide(request({ sub: OLD, groups: ['ops'] }), 'otp:generate', '/aws/root');
    const recreated = engine.decide(request({ sub: NEW, groups: ['ops'] }), 'otp:generate', '/aws/root');
    // Assess
    expect(old.allowed).toBe(false);
    expect(recreated.allowed).toBe(true);
  });

  it('lets only the bound approver accounts approve, merged across approval policies', () => {
    // Prepare
    const approval = { approvers: ['user:carol', 'group:security'], minApprovals: 1, grantMinutes: 60, justificationRequired: false };
    const engine = new PolicyEngine([
      allowPolicy({ principals: ['group:oncall'], actions: ['otp:generate'], approval, userSubs: { carol: 'carol-1' } }),
      allowPolicy({ principals: ['group:oncall'], actions: ['otp:generate'], approval, userSubs: { carol: 'carol-2' } }),
    ]);
    // Act
    const decision = engine.decide(request({ principal: 'user:dan', sub: 'dan-1', groups: ['oncall'] }), 'otp:generate', '/aws/root');
    // Assess
    expect(decision.needsApproval?.approverSubs).toEqual({ carol: ['carol-1', 'carol-2'] });
  });
});

describe('binding warnings', () => {
  it('name each user whose bound account is no longer the one holding the name', () => {
    // Prepare
    const document = { principals: ['user:alice', 'user:bob', 'group:ops'], approval: { approvers: ['user:carol', 'user:dave'], minApprovals: 1, grantMinutes: 60, justificationRequired: false } };
    const current = new Map<string, string | undefined>([['alice', NEW], ['bob', 'bob-1'], ['carol', undefined], ['dave', 'dave-1']]);
    // Act
    const warnings = bindingWarnings(document, { alice: OLD, bob: 'bob-1', carol: 'carol-1' }, current);
    // Assess
    expect(namedUsers(document)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(warnings).toEqual([
      'user alice was re-created after this policy was saved; save it again to grant the new account',
      'user carol no longer exists; this policy grants nobody by that name',
      'user dave is not bound to an account (the policy was saved before bindings existed); save it again to grant them',
    ]);
  });
});
