import { overrideDeps } from '../../shared/api/deps';
import type { AuditEvent } from '../../shared/audit/event';
import type { AuditOutbox } from '../../shared/audit/AuditOutbox';
import type { FieldBinding, FieldCipher } from '../../shared/crypto/FieldCipher';
import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// POST /v1/secrets/{secretId}/fields/{field}/reveal through the local runner.
let vault: TestVault;
let outbox: OutboxReader;
let admin: string;
let secretId: string;

const PASSWORD = 'hunter2-reveal-Pa55';

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  admin = await vault.token('alice', ['admins']);
  const created = await vault.call('POST', '/v1/secrets', {
    token: admin,
    body: {
      path: uniquePath('/reveal'),
      template: 'webapp-otp',
      fields: { url: 'https://app.example', username: 'ops', password: PASSWORD, otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['rc-reveal-1'] },
    },
  });
  secretId = created.body.id as string;
});
afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});

const reveal = (field: string, token = admin) => vault.call(`POST`, `/v1/secrets/${secretId}/fields/${field}/reveal`, { token });

describe('revealing one sensitive field', () => {
  it('returns that one field and leaves an audit event naming it', async () => {
    // Act
    const res = await reveal('password');
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ field: 'password', value: PASSWORD });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const events = await outbox.eventsOf(res.headers.get('x-request-id'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'secret:reveal', result: 'allowed', reason: 'field revealed', target: { secretId }, details: { field: 'password', decidedBy: 'builtin-admins' } });
    expect(JSON.stringify(events[0])).not.toContain(PASSWORD);
  });

  it.each([
    ['the OTP seed', 'otpSeed', 'FieldNotRevealable', 'never revealed'],
    ['the recovery codes', 'recoveryCodes', 'FieldNotRevealable', 'one at a time'],
    ['a field that is not sensitive', 'url', 'FieldNotSensitive', 'is not sensitive'],
  ])('refuses %s with 400 and says why', async (_case, field, code, message) => {
    // Act
    const res = await reveal(field);
    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code, message: expect.stringContaining(message) } });
  });

  it('answers 404 for a field the template does not have', async () => {
    // Act
    const res = await reveal('pin');
    // Assess
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'FieldNotFound' } });
  });

  it('decrypts nothing when the audit event cannot be written', async () => {
    // Prepare
    const decrypted: FieldBinding[] = [];
    const failing: AuditOutbox = {
      write: async (_event: AuditEvent) => {
        throw new Error('outbox down');
      },
      transactItem: () => {
        throw new Error('outbox down');
      },
    };
    const watching: FieldCipher = {
      encrypt: async () => {
        throw new Error('not used');
      },
      decrypt: async (_ciphertext, binding) => {
        decrypted.push(binding);
        return new TextEncoder().encode('never');
      },
    };
    const restore = overrideDeps({ outbox: failing, cipher: watching });
    // Act
    let res;
    try {
      res = await reveal('password');
    } finally {
      restore();
    }
    // Assess
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: { code: 'AuditUnavailable' } });
    expect(res.text).not.toContain(PASSWORD);
    expect(decrypted).toEqual([]);
  });
});
