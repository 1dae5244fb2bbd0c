import { decodeCursor, encodeCursor, planQuery, type AuditFilters } from '../../../../shared/audit/query';
import { InvalidInputError } from '../../../../shared/errors';

const NOW = Date.parse('2025-03-10T12:00:00.000Z');
const SK = '2025-03-10T10:00:00.000Z#01JNX5Q8ZC0000000000000000';

const forge = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');

describe('audit cursors', () => {
  it('carry the position of a day walk and the range of the first page, even as time moves on', () => {
    // Prepare
    const filters: AuditFilters = { result: 'denied' };
    const plan = planQuery(filters, NOW);
    const cursor = encodeCursor(plan, { dayIndex: 1, key: { pk: 'DAY#2025-03-09', sk: SK.replace('03-10', '03-09') } });

    // Act
    const decoded = decodeCursor(cursor, filters, NOW + 3_600_000);

    // Assess
    expect(decoded.plan.range).toEqual(plan.range);
    expect(decoded.plan.days).toEqual(plan.days);
    expect(decoded.position).toEqual({ dayIndex: 1, key: { pk: 'DAY#2025-03-09', sk: SK.replace('03-10', '03-09') } });
  });

  it('carry an index position', () => {
    // Prepare
    const filters: AuditFilters = { actor: 'user:alice' };
    const key = { pk: 'DAY#2025-03-10', sk: SK, actorKey: 'user:alice' };
    const cursor = encodeCursor(planQuery(filters, NOW), { dayIndex: 0, key });

    // Act
    const decoded = decodeCursor(cursor, filters, NOW);

    // Assess
    expect(decoded.position).toEqual({ dayIndex: 0, key });
  });

  it('are refused with other filters', () => {
    // Prepare
    const key = { pk: 'DAY#2025-03-10', sk: SK, actorKey: 'user:alice' };
    const cursor = encodeCursor(planQuery({ actor: 'user:alice' }, NOW), { dayIndex: 0, key });

    // Act
    const withOtherFilter = () => decodeCursor(cursor, { actor: 'user:alice', action: 'otp:generate' }, NOW);

    // Assess
    expect(withOtherFilter).toThrow(InvalidInputError);
    expect(withOtherFilter).toThrow(/not one this API returned/);
  });

  it('are refused when their key points into another partition of the index', () => {
    // Prepare
    const plan = planQuery({ actor: 'user:alice' }, NOW);
    const cursor = forge({ v: 1, q: plan.fingerprint, r: {}, k: { pk: 'DAY#2025-03-10', sk: SK, actorKey: 'user:mallory' } });

    // Act
    const decode = () => decodeCursor(cursor, { actor: 'user:alice' }, NOW);

    // Assess
    expect(decode).toThrow(/bad position/);
  });

  it('are refused when their day lies outside the range or their key belongs to another day', () => {
    // Prepare
    const plan = planQuery({}, NOW);
    const outside = forge({ v: 1, q: plan.fingerprint, r: plan.range, d: '2024-01-01' });
    const otherDay = forge({ v: 1, q: plan.fingerprint, r: plan.range, d: '2025-03-10', k: { pk: 'DAY#2025-03-09', sk: SK } });

    // Act / Assess
    expect(() => decodeCursor(outside, {}, NOW)).toThrow(/day outside the range/);
    expect(() => decodeCursor(otherDay, {}, NOW)).toThrow(/bad position/);
  });

  it('are refused when they widen the time walk beyond its bound', () => {
    // Prepare
    const plan = planQuery({}, NOW);
    const wide = forge({ v: 1, q: plan.fingerprint, r: { from: '2024-01-01T00:00:00.000Z', to: '2025-03-10T12:00:00.000Z' }, d: '2025-03-10' });

    // Act / Assess
    expect(() => decodeCursor(wide, {}, NOW)).toThrow(/at most 31 days apart/);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON but no object', forge([1, 2])],
    ['an unknown version', forge({ v: 2, q: 'x', r: {} })],
    ['a range of non-times', forge({ v: 1, q: 'x', r: { from: 'yesterday' } })],
    ['extra key attributes', forge({ v: 1, q: 'x', r: {}, k: { pk: 'DAY#2025-03-10', sk: SK, actorKey: 'user:alice', extra: 'x' } })],
  ])('are refused when they are %s', (_what, cursor) => {
    // Act / Assess
    expect(() => decodeCursor(cursor, { actor: 'user:alice' }, NOW)).toThrow(InvalidInputError);
  });
});
