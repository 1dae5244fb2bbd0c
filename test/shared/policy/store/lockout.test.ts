import { policyManagersAfter } from '../../../../shared/policy/store';
import type { Policy } from '../../../../shared/policy';

let next = 0;
const policy = (fields: Partial<Policy>): Policy => ({
  id: `p${++next}`,
  name: `policy ${next}`,
  effect: 'allow',
  principals: ['user:carol'],
  resources: ['*'],
  actions: ['policy:manage'],
  ...fields,
});
const denyAdmins = (fields: Partial<Policy> = {}) => policy({ effect: 'deny', principals: ['group:admins'], ...fields });

describe('the lock-out rule', () => {
  it('keeps group admins as holders through the built-in policy when nothing is stored', () => {
    // Act
    const holders = policyManagersAfter([]);
    // Assess
    expect(holders).toEqual(['group:admins']);
  });

  it('lets the last stored grant go while the built-in one stands', () => {
    // Prepare
    const grant = policy({});
    // Act
    const withGrant = policyManagersAfter([grant]);
    const without = policyManagersAfter([]);
    // Assess
    expect(withGrant).toEqual(['group:admins', 'user:carol']);
    expect(without).toEqual(['group:admins']);
  });

  it('finds nobody when an unconditional deny cancels the only grant', () => {
    // Act
    const holders = policyManagersAfter([denyAdmins()]);
    // Assess
    expect(holders).toEqual([]);
  });

  it('counts a deny of every action on every path as cancelling too', () => {
    // Act
    const holders = policyManagersAfter([denyAdmins({ actions: ['*'], resources: ['/**'] })]);
    // Assess
    expect(holders).toEqual([]);
  });

  it('keeps a holder that escapes the deny', () => {
    // Act
    const holders = policyManagersAfter([denyAdmins(), policy({ principals: ['group:security'] })]);
    // Assess
    expect(holders).toEqual(['group:security']);
  });

  it('ignores denies with conditions, which come and go', () => {
    // Act
    const holders = policyManagersAfter([denyAdmins({ conditions: { sourceIp: ['10.0.0.0/8'] } })]);
    // Assess
    expect(holders).toEqual(['group:admins']);
  });

  it('counts a conditional grant as a holder', () => {
    // Act
    const holders = policyManagersAfter([
      denyAdmins(),
      policy({ conditions: { timeWindow: { start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' } } }),
    ]);
    // Assess
    expect(holders).toEqual(['user:carol']);
  });

  it('does not count a grant of other actions or on secret paths only', () => {
    // Act
    const holders = policyManagersAfter([
      denyAdmins(),
      policy({ actions: ['audit:read'] }),
      policy({ principals: ['user:dan'], resources: ['/ops/**'], actions: ['secret:read'] }),
    ]);
    // Assess
    expect(holders).toEqual([]);
  });

  it('judges a holder by its own name only: a deny naming one user leaves the group holding', () => {
    // Act
    const holders = policyManagersAfter([policy({ effect: 'deny', principals: ['user:alice'] })]);
    // Assess
    expect(holders).toEqual(['group:admins']);
  });
});
