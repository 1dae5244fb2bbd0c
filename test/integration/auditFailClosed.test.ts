import { overrideDeps } from '../../shared/api/deps';
import type { AuditEvent } from '../../shared/audit/event';
import type { AuditOutbox } from '../../shared/audit/AuditOutbox';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// Fault injection: the audit outbox fails. Nothing secret may leave, and state must not change
// without its event (the guarantee HashiCorp Vault gives: no audit device, no answer).
let vault: TestVault;
let admin: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  await vault?.stop();
});

/** An outbox whose writes fail; transactional items point at a table that does not exist. */
function failingOutbox(): { outbox: AuditOutbox; attempts: AuditEvent[] } {
  const attempts: AuditEvent[] = [];
  return {
    attempts,
    outbox: {
      write: async (event) => {
        attempts.push(event);
        throw new Error('injected: audit outbox unavailable');
      },
      transactItem: (event) => {
        attempts.push(event);
        return { Put: { TableName: 'otpvault-no-such-table', Item: { eventId: event.eventId } } };
      },
    },
  };
}

async function secretWithCodes(): Promise<string> {
  const res = await vault.call('POST', '/v1/secrets', {
    token: admin,
    body: { path: uniquePath('/failclosed'), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['keep-1', 'keep-2'] } },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('when the audit log cannot record', () => {
  it('returns no OTP and a 503', async () => {
    // Prepare
    const id = await secretWithCodes();
    const fault = failingOutbox();
    const restore = overrideDeps({ outbox: fault.outbox });
    try {
      // Act
      const res = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin });
      // Assess
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: { code: 'AuditUnavailable', message: expect.stringMatching(/audit/) } });
      expect(fault.attempts.some((e) => e.action === 'otp:generate')).toBe(true);
    } finally {
      restore();
    }
  });

  it('returns no recovery code and a 503', async () => {
    // Prepare
    const id = await secretWithCodes();
    const fault = failingOutbox();
    const restore = overrideDeps({ outbox: fault.outbox });
    let res;
    try {
      // Act
      res = await vault.call('POST', `/v1/secrets/${id}/recovery-codes/reveal`, { token: admin });
    } finally {
      restore();
    }
    // Assess
    expect(res.status).toBe(503);
    expect(res.text).not.toMatch(/keep-/);
  });

  it('refuses to answer a read', async () => {
    // Prepare
    const id = await secretWithCodes();
    const restore = overrideDeps({ outbox: failingOutbox().outbox });
    try {
      // Act
      const res = await vault.call('GET', `/v1/secrets/${id}`, { token: admin });
      // Assess
      expect(res.status).toBe(503);
      expect(res.text).not.toContain('failclosed');
    } finally {
      restore();
    }
  });

  it('changes nothing when the state change cannot carry its event', async () => {
    // Prepare
    const path = uniquePath('/failclosed');
    const restore = overrideDeps({ outbox: failingOutbox().outbox });
    let res;
    try {
      // Act
      res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
    } finally {
      restore();
    }
    // Assess
    expect(res.status).toBeGreaterThanOrEqual(500);
    const list = await vault.call<{ items: unknown[] }>('GET', `/v1/secrets?path=${encodeURIComponent(path)}`, { token: admin });
    expect(list.body.items).toEqual([]);
  });

  it('works again once the audit log is back', async () => {
    // Prepare
    const id = await secretWithCodes();
    // Act
    const res = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.code).toMatch(/^\d{6}$/);
  });
});
