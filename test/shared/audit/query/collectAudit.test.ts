import type { AuditEvent } from '../../../../shared/audit/event';
import { AUDIT_EXPORT_LIMITS, collectAudit, planQuery, type AuditPage, type Position } from '../../../../shared/audit/query';
import { TooLargeError } from '../../../../shared/errors';

const plan = planQuery({ actor: 'user:alice' }, Date.parse('2025-03-10T12:00:00.000Z'));

function event(n: number): AuditEvent {
  return {
    eventId: `event-${n}`,
    time: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
    actor: { principal: 'user:alice', kind: 'user', groups: [] },
    action: 'otp:generate',
    operation: 'generateOtp',
    target: {},
    result: 'allowed',
    reason: 'ok',
    status: 200,
    source: { ip: '192.0.2.1', userAgent: '' },
    requestId: `req-${n}`,
    details: {},
  };
}

/** Pages over `total` events; each read evaluates `evaluatedPerEvent` items per event it returns. */
function pages(total: number, evaluatedPerEvent = 1) {
  const asked: number[] = [];
  return {
    asked,
    async page(_plan: unknown, at: Position, limit: number): Promise<AuditPage> {
      asked.push(limit);
      const start = at.key ? Number(at.key.sk) : 0;
      const end = Math.min(total, start + limit);
      const events = Array.from({ length: end - start }, (_, i) => event(start + i));
      return { events, evaluated: events.length * evaluatedPerEvent, ...(end < total && { next: { dayIndex: 0, key: { sk: String(end) } } }) };
    },
  };
}

describe('collectAudit', () => {
  it('reads page after page until the range is exhausted', async () => {
    // Prepare
    const log = pages(2500);

    // Act
    const events = await collectAudit(log, plan);

    // Assess
    expect(events).toHaveLength(2500);
    expect(log.asked).toEqual([1000, 1000, 1000]);
  });

  it(`returns exactly ${AUDIT_EXPORT_LIMITS.maxRows} events but refuses one more with 413 and advice to narrow the range`, async () => {
    // Prepare
    const exact = pages(AUDIT_EXPORT_LIMITS.maxRows);
    const over = pages(AUDIT_EXPORT_LIMITS.maxRows + 1);

    // Act
    const events = await collectAudit(exact, plan);
    const refused = collectAudit(over, plan);

    // Assess
    expect(events).toHaveLength(AUDIT_EXPORT_LIMITS.maxRows);
    await expect(refused).rejects.toThrow(TooLargeError);
    await expect(collectAudit(pages(AUDIT_EXPORT_LIMITS.maxRows + 1), plan)).rejects.toThrow(
      /more than 10000 audit events.*narrow from\/to or add a filter/,
    );
  });

  it('stops reading when filters make it evaluate too many items', async () => {
    // Prepare
    const sparse = pages(AUDIT_EXPORT_LIMITS.maxRows, 100);

    // Act
    const refused = collectAudit(sparse, plan);

    // Assess
    await expect(refused).rejects.toThrow(/too many audit events to search/);
  });
});
