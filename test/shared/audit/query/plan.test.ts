import { AUDIT_QUERY_LIMITS, daysNewestFirst, planQuery } from '../../../../shared/audit/query';
import { InvalidInputError } from '../../../../shared/errors';

const NOW = Date.parse('2025-03-10T12:00:00.000Z');

describe('planQuery', () => {
  it('reads the byActor index when only an actor is given, with the range as given', () => {
    // Act
    const plan = planQuery({ actor: 'user:alice', from: '2025-01-01T00:00:00.000Z' }, NOW);

    // Assess
    expect(plan.source).toEqual({ kind: 'index', index: { name: 'byActor', key: 'actorKey' }, value: 'user:alice' });
    expect(plan.range).toEqual({ from: '2025-01-01T00:00:00.000Z', to: undefined });
    expect(plan.days).toEqual([]);
    expect(plan.filter).toBeUndefined();
  });

  it('prefers secretId, then path, then actor, and filters on the lookup keys it does not query', () => {
    // Act
    const bySecret = planQuery({ actor: 'user:alice', secretId: 'secret-0001', path: '/a/b' }, NOW);
    const byPath = planQuery({ actor: 'user:alice', path: '/a/b' }, NOW);

    // Assess
    expect(bySecret.source).toMatchObject({ index: { name: 'bySecret' }, value: 'secret-0001' });
    expect(bySecret.filter).toEqual({
      expression: '#f0 = :f0 AND #f1 = :f1',
      names: { '#f0': 'actorKey', '#f1': 'pathKey' },
      values: { ':f0': 'user:alice', ':f1': '/a/b' },
    });
    expect(byPath.source).toMatchObject({ index: { name: 'byPath' }, value: '/a/b' });
    expect(byPath.filter?.names).toEqual({ '#f0': 'actorKey' });
  });

  it('turns action and result into a filter expression', () => {
    // Act
    const plan = planQuery({ secretId: 'secret-0001', action: 'otp:generate', result: 'denied' }, NOW);

    // Assess
    expect(plan.filter).toEqual({
      expression: '#f0 = :f0 AND #f1 = :f1',
      names: { '#f0': 'action', '#f1': 'result' },
      values: { ':f0': 'otp:generate', ':f1': 'denied' },
    });
  });

  it('searches the last 24 hours by day, newest day first, when no lookup key and no range is given', () => {
    // Act
    const plan = planQuery({}, NOW);

    // Assess
    expect(plan.source).toEqual({ kind: 'days' });
    expect(plan.range).toEqual({ from: '2025-03-09T12:00:00.000Z', to: '2025-03-10T12:00:00.000Z' });
    expect(plan.days).toEqual(['2025-03-10', '2025-03-09']);
  });

  it('counts back the default window from a given to', () => {
    // Act
    const plan = planQuery({ to: '2025-02-01T00:00:00.000Z' }, NOW);

    // Assess
    expect(plan.range).toEqual({ from: '2025-01-31T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' });
    // `to` is exclusive: midnight itself belongs to no event of the range, so its day is not read.
    expect(plan.days).toEqual(['2025-01-31']);
  });

  it(`refuses a time walk longer than ${AUDIT_QUERY_LIMITS.maxTimeWalkDays} days and says why`, () => {
    // Act
    const tooLong = () => planQuery({ from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:01.000Z' }, NOW);

    // Assess
    expect(tooLong).toThrow(InvalidInputError);
    expect(tooLong).toThrow(/at most 31 days apart .*last 24 hours/);
  });

  it('accepts any range when reading an index', () => {
    // Act
    const plan = planQuery({ actor: 'user:alice', from: '2020-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }, NOW);

    // Assess
    expect(plan.days).toEqual([]);
  });

  it('refuses a range whose from is not before its to', () => {
    // Act
    const empty = () => planQuery({ actor: 'user:alice', from: '2025-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }, NOW);

    // Assess
    expect(empty).toThrow(/from must be before to/);
  });

  it('gives the same fingerprint to the same filters and another to other filters', () => {
    // Act
    const a = planQuery({ actor: 'user:alice' }, NOW).fingerprint;
    const b = planQuery({ actor: 'user:alice' }, NOW + 1).fingerprint;
    const c = planQuery({ actor: 'user:alice', result: 'denied' }, NOW).fingerprint;

    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe('daysNewestFirst', () => {
  it('lists every UTC day the range touches, across a month end', () => {
    // Act
    const days = daysNewestFirst('2025-02-27T23:59:59.999Z', '2025-03-02T00:00:00.001Z');

    // Assess
    expect(days).toEqual(['2025-03-02', '2025-03-01', '2025-02-28', '2025-02-27']);
  });
});
