import type { AuditEvent } from '../../../../shared/audit/event';
import { matchDecrypts, type VaultDecrypt } from '../../../../shared/audit/reconcile';

const WINDOW = { afterMs: 30_000, beforeMs: 5_000 };
let ids = 0;

function event(time: string, action: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  ids++;
  return {
    eventId: `event-${String(ids).padStart(4, '0')}`,
    time,
    actor: { principal: 'user:alice', kind: 'user', groups: [] },
    action,
    operation: action,
    target: { secretId: 'secret-0001' },
    result: 'allowed',
    reason: 'ok',
    status: 200,
    source: { ip: '192.0.2.1', userAgent: '' },
    requestId: `req-${ids}`,
    details: {},
    ...overrides,
  };
}

function decrypt(eventTime: string, part: string | null, overrides: Partial<VaultDecrypt> = {}): VaultDecrypt {
  ids++;
  return {
    eventTime,
    secretId: 'secret-0001',
    field: part === null ? 'password' : 'otpSeed',
    part,
    caller: 'arn:aws:sts::111122223333:assumed-role/generateOtp/fn',
    requestId: `kms-${ids}`,
    eventId: `trail-${String(ids).padStart(4, '0')}`,
    ...overrides,
  };
}

describe('matchDecrypts', () => {
  it('never explains a Decrypt made by someone other than the vault, even one in the same second as the vault\'s own', () => {
    // Prepare: the intruder's Decrypt sorts before the function's within the same second.
    const events = [event('2025-03-10T10:00:00.100Z', 'otp:generate')];
    const intruder = decrypt('2025-03-10T10:00:00Z', 'v1', { caller: 'arn:aws:iam::111122223333:user/mallory', eventId: 'trail-0000' });
    const own = decrypt('2025-03-10T10:00:00Z', 'v1', { eventId: 'trail-9999' });
    const isVault = (caller: string) => caller.includes(':assumed-role/generateOtp/');

    // Act
    const result = matchDecrypts([intruder, own], events, WINDOW, isVault);

    // Assess
    expect(result.unexplained).toEqual([intruder]);
    expect(result.explained.map((m) => m.decrypt)).toEqual([own]);
  });

  it('explains a seed Decrypt by the otp:generate event written just before it', () => {
    // Prepare
    const events = [event('2025-03-10T10:00:00.900Z', 'otp:generate')];
    // CloudTrail truncates to the second: the Decrypt at 10:00:00.950 reads 10:00:00.
    const decrypts = [decrypt('2025-03-10T10:00:00Z', 'v1')];

    // Act
    const result = matchDecrypts(decrypts, events, WINDOW);

    // Assess
    expect(result.unexplained).toEqual([]);
    expect(result.explained).toHaveLength(1);
  });

  it('lets one event explain one Decrypt only', () => {
    // Prepare
    const events = [event('2025-03-10T10:00:00.100Z', 'otp:generate')];
    const decrypts = [decrypt('2025-03-10T10:00:00Z', 'v1'), decrypt('2025-03-10T10:00:04Z', 'v1')];

    // Act
    const result = matchDecrypts(decrypts, events, WINDOW);

    // Assess
    expect(result.explained.map((m) => m.decrypt)).toEqual([decrypts[0]]);
    expect(result.unexplained).toEqual([decrypts[1]]);
  });

  it('does not let a Decrypt take an event written after it, so the later audited Decrypt keeps its event', () => {
    // Prepare
    const rogue = decrypt('2025-03-10T10:00:00Z', 'v1');
    const audited = decrypt('2025-03-10T10:00:20Z', 'v1');
    const events = [event('2025-03-10T10:00:20.000Z', 'otp:generate')];

    // Act
    const result = matchDecrypts([rogue, audited], events, WINDOW);

    // Assess
    expect(result.unexplained).toEqual([rogue]);
  });

  it('does not explain a Decrypt too long after the event', () => {
    // Prepare
    const events = [event('2025-03-10T10:00:00.000Z', 'otp:generate')];
    const decrypts = [decrypt('2025-03-10T10:00:31Z', 'v1')];

    // Act
    const result = matchDecrypts(decrypts, events, WINDOW);

    // Assess
    expect(result.unexplained).toEqual(decrypts);
  });

  it('explains a recovery-code Decrypt only by the reveal of that very code', () => {
    // Prepare
    const events = [event('2025-03-10T10:00:00.000Z', 'recovery:reveal', { details: { index: 2, setVersion: 1, remaining: 5 } })];
    const other = decrypt('2025-03-10T10:00:00Z', 'v1:3');
    const same = decrypt('2025-03-10T10:00:01Z', 'v1:2');

    // Act
    const result = matchDecrypts([other, same], events, WINDOW);

    // Assess
    expect(result.explained.map((m) => m.decrypt)).toEqual([same]);
    expect(result.unexplained).toEqual([other]);
  });

  it('does not explain a seed Decrypt by a recovery reveal, nor by a denied or other-secret event', () => {
    // Prepare
    const events = [
      event('2025-03-10T10:00:00.000Z', 'recovery:reveal', { details: { index: 0, setVersion: 1 } }),
      event('2025-03-10T10:00:00.000Z', 'otp:generate', { result: 'denied' }),
      event('2025-03-10T10:00:00.000Z', 'otp:generate', { target: { secretId: 'secret-0002' } }),
      event('2025-03-10T10:00:00.000Z', 'secret:read'),
    ];
    const decrypts = [decrypt('2025-03-10T10:00:00Z', 'v1')];

    // Act
    const result = matchDecrypts(decrypts, events, WINDOW);

    // Assess
    expect(result.unexplained).toEqual(decrypts);
  });

  it('explains a sensitive-field Decrypt (no part) by a secret:reveal of that field', () => {
    // Prepare
    const events = [event('2025-03-10T10:00:00.000Z', 'secret:reveal', { details: { field: 'password' } })];
    const decrypts = [decrypt('2025-03-10T10:00:00Z', null)];

    // Act
    const result = matchDecrypts(decrypts, events, WINDOW);

    // Assess
    expect(result.explained).toHaveLength(1);
  });

  it('pairs as many as possible when several requests of one secret come close together', () => {
    // Prepare
    const events = ['10:00:00.100', '10:00:00.200', '10:00:00.300'].map((t) => event(`2025-03-10T${t}Z`, 'otp:generate'));
    const decrypts = [decrypt('2025-03-10T10:00:00Z', 'v1'), decrypt('2025-03-10T10:00:00Z', 'v1'), decrypt('2025-03-10T10:00:00Z', 'v1')];

    // Act
    const result = matchDecrypts(decrypts, events, WINDOW);

    // Assess
    expect(result.explained).toHaveLength(3);
    expect(result.unexplained).toEqual([]);
  });
});
