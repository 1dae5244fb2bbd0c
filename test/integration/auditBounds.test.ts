import { getDeps, overrideDeps } from '../../shared/api/deps';
import { AUDIT_LIMITS } from '../../shared/audit/bounds';
import type { AuditEvent } from '../../shared/audit/event';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// A caller must not be able to keep their own failed request out of the audit log.
let vault: TestVault;
let admin: string;

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  await vault?.stop();
});

/** The real outbox, with each write's event and outcome noted. */
function watchedOutbox() {
  const real = getDeps().outbox;
  const writes: { event: AuditEvent; error?: unknown }[] = [];
  const restore = overrideDeps({
    outbox: {
      write: async (event) => {
        try {
          await real.write(event);
          writes.push({ event });
        } catch (error) {
          writes.push({ event, error });
          throw error;
        }
      },
      transactItem: (event) => real.transactItem(event),
    },
  });
  return { writes, restore };
}

describe('audit events of hostile requests', () => {
  it('records a request whose validation message would exceed the 400 KB item limit, with a bounded reason', async () => {
    // Prepare: 60,000 unknown keys, every one listed by the validation message (about 1.3 MB)
    const body: Record<string, unknown> = { path: uniquePath('/bounds'), template: 'otp-only', fields: {} };
    for (let i = 0; i < 60_000; i++) body[`unknown_key_${String(i).padStart(6, '0')}`] = 1;
    const watch = watchedOutbox();
    let res;
    try {
      // Act
      res = await vault.call('POST', '/v1/secrets', { token: admin, body });
    } finally {
      watch.restore();
    }

    // Assess
    expect(res.status).toBe(400);
    expect(watch.writes).toHaveLength(1);
    const [{ event, error }] = watch.writes;
    expect(error).toBeUndefined();
    expect(event).toMatchObject({ result: 'error', status: 400, operation: 'createSecret' });
    expect(event.reason.length).toBeLessThanOrEqual(AUDIT_LIMITS.reason);
    expect(event.reason).toMatch(/more characters\)$/);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(400 * 1024);
  });

  it('fails a refused request with 503 when its event cannot be written, instead of answering as if recorded', async () => {
    // Prepare
    const restore = overrideDeps({
      outbox: {
        write: async () => {
          throw new Error('injected: audit outbox unavailable');
        },
        transactItem: () => {
          throw new Error('not used');
        },
      },
    });
    let res;
    try {
      // Act: an invalid request, whose 400 is only allowed out once it is recorded
      res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path: 'no-leading-slash' } });
    } finally {
      restore();
    }

    // Assess
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 'AuditUnavailable', message: expect.stringMatching(/audit/) } });
  });
});
