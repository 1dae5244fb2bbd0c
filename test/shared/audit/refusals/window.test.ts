import { principal } from '../../../../shared/auth/principal';
import { AUDIT_LIMITS } from '../../../../shared/audit/bounds';
import { firstOpenMinute, minuteOf, oldestUnexpiredMinute, REFUSAL_WINDOW, shardOf, summaryEvent, windowOf, type RefusalWindow } from '../../../../shared/audit/refusals/window';

/** Refusal windows, the pure part: keys, bounds, expiry, which minutes are closed, and the summary event. */

const AT = Date.parse('2030-07-14T09:41:27.250Z');
const refusal = { sourceIp: '198.51.100.7', reason: 'the bearer token was rejected: its signature is not valid', routeKey: 'GET /v1/secrets', userAgent: 'curl/8' };

const window = (overrides: Partial<RefusalWindow> = {}): RefusalWindow => ({
  pk: 'REFUSALS#03',
  sk: '2030-07-14T09:41#198.51.100.7#anonymous',
  minute: '2030-07-14T09:41',
  sourceIp: '198.51.100.7',
  actor: { principal: 'anonymous', kind: 'anonymous', groups: [] },
  userAgent: 'curl/8',
  count: 30,
  firstAt: '2030-07-14T09:41:01.000Z',
  lastAt: '2030-07-14T09:41:58.000Z',
  reasons: ['the bearer token was rejected: its signature is not valid', 'the bearer token was rejected: it has expired'],
  routeKeys: ['GET /v1/secrets', 'GET /v1/me'],
  truncated: false,
  ...overrides,
});

describe('the window of a refusal', () => {
  it('is the source and principal (or anonymous) in the UTC minute of the clock', () => {
    // Act
    const anonymous = windowOf(refusal, AT);
    const alice = windowOf({ ...refusal, principal: principal('user', 'alice', ['ops']) }, AT);

    // Assess
    expect(anonymous.minute).toBe('2030-07-14T09:41');
    expect(anonymous.key.sk).toBe('2030-07-14T09:41#198.51.100.7#anonymous');
    expect(anonymous.key.pk).toMatch(/^REFUSALS#\d\d$/);
    expect(anonymous.actor).toEqual({ principal: 'anonymous', kind: 'anonymous', groups: [] });
    expect(alice.key.sk).toBe('2030-07-14T09:41#198.51.100.7#user:alice');
    expect(alice.actor).toEqual({ principal: 'user:alice', kind: 'user', groups: ['ops'] });
    expect(anonymous.at).toBe('2030-07-14T09:41:27.250Z');
  });

  it('changes with the minute, not within it', () => {
    // Act
    const keys = [Date.parse('2030-07-14T09:41:00.000Z'), Date.parse('2030-07-14T09:41:59.999Z'), Date.parse('2030-07-14T09:42:00.000Z')].map(
      (at) => windowOf(refusal, at).key.sk,
    );

    // Assess
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it('expires a fixed time after its minute ends', () => {
    // Act
    const { ttl } = windowOf(refusal, AT);

    // Assess
    expect(ttl).toBe(Date.parse('2030-07-14T09:42:00Z') / 1000 + REFUSAL_WINDOW.expiresAfterCloseSeconds);
  });

  it('keeps only bounded strings of what the caller sent', () => {
    // Act
    const long = windowOf({ sourceIp: '1'.repeat(500), reason: `unknown access key id ${'A'.repeat(5000)}`, routeKey: `GET /${'x'.repeat(500)}`, userAgent: 'u'.repeat(5000) }, AT);

    // Assess
    expect(long.reason.length).toBeLessThanOrEqual(REFUSAL_WINDOW.maxReasonChars);
    expect(long.routeKey.length).toBeLessThanOrEqual(REFUSAL_WINDOW.maxRouteKeyChars);
    expect(long.sourceIp.length).toBeLessThanOrEqual(REFUSAL_WINDOW.maxSourceIpChars);
    expect(long.userAgent.length).toBeLessThanOrEqual(AUDIT_LIMITS.field);
    // DynamoDB's sort key limit is 1024 bytes.
    expect(Buffer.byteLength(long.key.sk)).toBeLessThan(1024);
  });

  it('spreads many sources over every shard', () => {
    // Act
    const shards = new Set(Array.from({ length: 500 }, (_, i) => shardOf(`203.0.113.${i % 256}`, `anonymous${i}`)));

    // Assess
    expect([...shards].sort((a, b) => a - b)).toEqual(Array.from({ length: REFUSAL_WINDOW.shards }, (_, i) => i));
  });
});

describe('which minutes are closed', () => {
  it('sweeps a minute only once it has been over for the grace period', () => {
    // Assess
    expect(minuteOf(Date.parse('2030-07-14T09:42:00.000Z'))).toBe('2030-07-14T09:42');
    expect(firstOpenMinute(Date.parse('2030-07-14T09:42:00.000Z') + REFUSAL_WINDOW.sweepGraceMs - 1)).toBe('2030-07-14T09:41');
    expect(firstOpenMinute(Date.parse('2030-07-14T09:42:00.000Z') + REFUSAL_WINDOW.sweepGraceMs)).toBe('2030-07-14T09:42');
  });

  it('reads back only as far as windows that have not expired', () => {
    // Prepare
    const now = Date.parse('2030-07-14T10:30:30Z');
    const expiry = REFUSAL_WINDOW.expiresAfterCloseSeconds * 1000;
    const unexpired = minuteOf(now - expiry); // ends within the expiry period before now
    const expired = minuteOf(now - expiry - 2 * 60_000); // ended more than the expiry period before now

    // Act
    const oldest = oldestUnexpiredMinute(now);

    // Assess
    expect(`${unexpired}#198.51.100.7#anonymous` >= oldest).toBe(true);
    expect(`${expired}#198.51.100.7#anonymous` >= oldest).toBe(false);
  });

  it('crosses midnight and the year like any other minute', () => {
    // Assess
    expect(firstOpenMinute(Date.parse('2031-01-01T00:00:30Z'))).toBe('2031-01-01T00:00');
    expect('2030-12-31T23:59#198.51.100.7#anonymous' < firstOpenMinute(Date.parse('2031-01-01T00:00:30Z'))).toBe(true);
  });
});

describe('the summary of a closed window', () => {
  const SWEPT = Date.parse('2030-07-14T09:42:10Z');

  it('is one denied authenticate event from the source, counting the refusals after the first', () => {
    // Act
    const event = summaryEvent(window(), SWEPT);

    // Assess
    expect(event).toMatchObject({
      action: 'authenticate',
      operation: 'authenticate',
      result: 'denied',
      status: 403,
      actor: { principal: 'anonymous', kind: 'anonymous', groups: [] },
      source: { ip: '198.51.100.7', userAgent: 'curl/8' },
      time: '2030-07-14T09:42:10.000Z',
      details: {
        repeatedRefusals: 29,
        minute: '2030-07-14T09:41',
        firstAt: '2030-07-14T09:41:01.000Z',
        lastAt: '2030-07-14T09:41:58.000Z',
        reasons: 'the bearer token was rejected: it has expired | the bearer token was rejected: its signature is not valid',
        routeKeys: 'GET /v1/me, GET /v1/secrets',
      },
    });
    expect(event.reason).toMatch(/^29 more refused credentials/);
    expect(event.details.truncated).toBeUndefined();
  });

  it('says when reasons or routes were left out, and fits its lists within the audit bounds uncut', () => {
    // Prepare
    const full = window({
      reasons: Array.from({ length: REFUSAL_WINDOW.maxReasons }, (_, i) => `${i}`.repeat(REFUSAL_WINDOW.maxReasonChars)),
      routeKeys: Array.from({ length: REFUSAL_WINDOW.maxRouteKeys }, (_, i) => `${i}`.repeat(REFUSAL_WINDOW.maxRouteKeyChars)),
      truncated: true,
    });

    // Act
    const event = summaryEvent(full, SWEPT);

    // Assess
    expect(event.details.truncated).toBe(true);
    expect(String(event.details.reasons)).not.toContain('more characters');
    expect(String(event.details.routeKeys)).not.toContain('more characters');
    expect(String(event.details.reasons).split(' | ')).toHaveLength(REFUSAL_WINDOW.maxReasons);
  });
});
