import { PolicyEngine } from '../../../shared/policy/index';
import { allowPolicy, denyPolicy, request } from './helpers';

const approval = (fields: Record<string, unknown> = {}) => ({ approvers: ['group:security'], minApprovals: 1, grantMinutes: 60, justificationRequired: false, ...fields });

describe('allows that carry an approval block', () => {
  it('never allow by themselves: the decision says what approval it takes', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ id: 'jit', resources: ['/aws/**'], actions: ['otp:generate'], approval: approval() })]);
    // Act
    const decision = engine.decide(request(), 'otp:generate', '/aws/root');
    // Assess
    expect(decision).toMatchObject({
      allowed: false,
      reason: 'otp:generate on /aws/root needs approval: request access first',
      decidedBy: [{ id: 'jit', effect: 'allow' }],
      needsApproval: { policyIds: ['jit'], approvers: ['group:security'], minApprovals: 1, grantMinutes: 60, justificationRequired: false },
    });
  });

  it('give way to a standing allow, and a deny beats both', () => {
    // Prepare
    const jit = allowPolicy({ resources: ['/aws/**'], actions: ['otp:generate'], approval: approval() });
    const standing = allowPolicy({ resources: ['/aws/dev/**'], actions: ['otp:generate'] });
    const deny = denyPolicy({ resources: ['/aws/secret/**'], actions: ['otp:generate'] });
    const engine = new PolicyEngine([jit, standing, deny]);
    // Act
    const dev = engine.decide(request(), 'otp:generate', '/aws/dev/x');
    const denied = engine.decide(request(), 'otp:generate', '/aws/secret/x');
    // Assess
    expect(dev.allowed).toBe(true);
    expect(dev.needsApproval).toBeUndefined();
    expect(denied.allowed).toBe(false);
    expect(denied.needsApproval).toBeUndefined();
  });

  it('merge to the strictest requirement when several apply', () => {
    // Prepare
    const engine = new PolicyEngine([
      allowPolicy({ id: 'a', resources: ['/aws/**'], actions: ['otp:generate'], approval: approval({ approvers: ['user:carol'], minApprovals: 2, grantMinutes: 60 }) }),
      allowPolicy({ id: 'b', resources: ['/aws/prod/**'], actions: ['otp:generate'], approval: approval({ grantMinutes: 15, justificationRequired: true }) }),
    ]);
    // Act
    const { needsApproval } = engine.decide(request(), 'otp:generate', '/aws/prod/root');
    // Assess
    expect(needsApproval).toEqual({ policyIds: ['a', 'b'], approvers: ['user:carol', 'group:security'], approverSubs: {}, minApprovals: 2, grantMinutes: 15, justificationRequired: true });
  });

  it('count in "needs approval" per path, not in the standing permissions or the summary', () => {
    // Prepare
    const engine = new PolicyEngine([
      allowPolicy({ resources: ['/aws/**'], actions: ['otp:generate', 'secret:read'], approval: approval() }),
      allowPolicy({ resources: ['/aws/**'], actions: ['secret:read'] }),
      denyPolicy({ resources: ['/aws/locked'], actions: ['otp:generate'] }),
    ]);
    const paths = ['/aws/root', '/aws/locked', '/gcp/x'];
    // Act
    const standing = engine.permissionsFor(request(), paths);
    const approvals = engine.needsApprovalFor(request(), paths);
    const summary = engine.summary(request()).find((row) => row.action === 'otp:generate');
    const approvalSummary = engine.summary(request(), 'approval').find((row) => row.action === 'otp:generate');
    // Assess
    expect(Object.fromEntries(standing)).toEqual({ '/aws/root': ['secret:read'], '/aws/locked': ['secret:read'], '/gcp/x': [] });
    expect(Object.fromEntries(approvals)).toEqual({ '/aws/root': ['otp:generate'], '/aws/locked': [], '/gcp/x': [] });
    expect(summary).toEqual({ action: 'otp:generate', allow: [], deny: ['/aws/locked'] });
    expect(approvalSummary).toEqual({ action: 'otp:generate', allow: ['/aws/**'], deny: ['/aws/locked'] });
  });
});
