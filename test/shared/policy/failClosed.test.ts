import { PolicyEngine, PolicyOutcome, type Policy, type RequestContext } from '../../../shared/policy/index';
import { allowPolicy, at, denyPolicy, request } from './helpers';

/**
 * Stored policies are validated when written, but what we read back may still be unusable
 * here: a time zone this runtime's ICU does not know, a request without a source IP, data
 * written by another version. None of it may widen access.
 */
const unknownZone = { timeWindow: { start: '00:00', end: '24:00', timeZone: 'Mars/Olympus_Mons' } };
const officeNetwork = { sourceIp: ['10.0.0.0/8'] };

describe('conditions that cannot be evaluated', () => {
  it.each<[string, Policy['conditions'], Partial<RequestContext>]>([
    ['a time zone this runtime does not know', unknownZone, {}],
    ['a sourceIp condition and no source IP', officeNetwork, {}],
    ['a sourceIp condition and an unparsable source IP', officeNetwork, { sourceIp: '10.0.0.300' }],
    ['a sourceIp condition and a source IP that is a name', officeNetwork, { sourceIp: 'localhost' }],
    ['a stored range that no longer parses', { sourceIp: ['10.0.0.0/99'] }, { sourceIp: '10.1.1.1' }],
    ['a stored clock that no longer parses', { timeWindow: { start: '8am', end: '18:00', timeZone: 'UTC' } }, {}],
    ['a stored notBefore that no longer parses', { notBefore: 'yesterday' }, {}],
    ['a request time that is not a number', { notAfter: '2999-01-01T00:00:00Z' }, { timeMs: Number.NaN }],
  ])('keep an allow from applying: %s', (_case, conditions, ctx) => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ conditions })], { includeBuiltins: false });
    // Act
    const decision = engine.decide(request(ctx), 'otp:generate', '/aws/x');
    // Assess
    expect(decision.allowed).toBe(false);
    expect(decision.evaluated[0].outcome).toBe(PolicyOutcome.conditionsUnknown);
  });

  it.each<[string, Policy['conditions'], Partial<RequestContext>]>([
    ['a time zone this runtime does not know', unknownZone, {}],
    ['a sourceIp condition and no source IP', officeNetwork, {}],
    ['a sourceIp condition and an unparsable source IP', officeNetwork, { sourceIp: 'not-an-ip' }],
    ['a stored range that no longer parses', { sourceIp: ['10.0.0.0/99'] }, { sourceIp: '10.1.1.1' }],
    ['a request time that is not a number', { notBefore: '2000-01-01T00:00:00Z' }, { timeMs: Number.NaN }],
  ])('make a deny apply: %s', (_case, conditions, ctx) => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy(), denyPolicy({ id: 'guard', conditions })], { includeBuiltins: false });
    // Act
    const decision = engine.decide(request(ctx), 'otp:generate', '/aws/x');
    // Assess
    expect(decision.allowed).toBe(false);
    expect(decision.decidedBy.map((p) => p.id)).toEqual(['guard']);
  });

  it('lets a deny not apply when another of its conditions is known to fail', () => {
    // Prepare: unknown zone, but the notAfter has passed for certain
    const engine = new PolicyEngine(
      [allowPolicy(), denyPolicy({ conditions: { ...unknownZone, notAfter: '2020-01-01T00:00:00Z' } })],
      { includeBuiltins: false },
    );
    // Act
    const decision = engine.decide(request({ timeMs: at('2024-01-01T00:00:00Z') }), 'otp:generate', '/aws/x');
    // Assess
    expect(decision.allowed).toBe(true);
  });

  it('matches a source IP against the readable ranges even when one range is unreadable', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ conditions: { sourceIp: ['bogus', '10.0.0.0/8'] } })], { includeBuiltins: false });
    // Act
    const inside = engine.decide(request({ sourceIp: '10.2.3.4' }), 'otp:generate', '/aws/x');
    const outside = engine.decide(request({ sourceIp: '11.2.3.4' }), 'otp:generate', '/aws/x');
    // Assess: outside might have been in the unreadable range, so the allow does not apply
    expect(inside.allowed).toBe(true);
    expect(outside.evaluated[0].outcome).toBe(PolicyOutcome.conditionsUnknown);
  });

  it('makes an unreadable resource pattern match nothing in an allow and everything in a deny', () => {
    // Prepare
    const allowEngine = new PolicyEngine([allowPolicy({ resources: ['aws/**'] })], { includeBuiltins: false });
    const denyEngine = new PolicyEngine([allowPolicy(), denyPolicy({ resources: ['aws/**'] })], { includeBuiltins: false });
    // Act
    const allowed = allowEngine.decide(request(), 'otp:generate', '/aws/x').allowed;
    const denied = denyEngine.decide(request(), 'otp:generate', '/gcp/x').allowed;
    const deniedGlobal = denyEngine.decide(request(), 'audit:read', '*').allowed;
    // Assess
    expect(allowed).toBe(false);
    expect(denied).toBe(false);
    expect(deniedGlobal).toBe(false);
  });

  it('ignores an unknown action name in a stored policy', () => {
    // Prepare: written by a later version that knows "secret:rotate"
    const stored = allowPolicy({ actions: ['secret:rotate', 'secret:read'] as unknown as Policy['actions'] });
    const engine = new PolicyEngine([stored], { includeBuiltins: false });
    // Act
    const read = engine.decide(request(), 'secret:read', '/aws/x').allowed;
    const write = engine.decide(request(), 'secret:write', '/aws/x').allowed;
    // Assess
    expect([read, write]).toEqual([true, false]);
  });
});
