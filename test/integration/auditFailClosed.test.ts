import { overrideDeps } from '../../shared/api/deps';
import type { AuditEvent } from '../../shared/audit/event';
import type { AuditOutbox } from '../../shared/audit/AuditOutbox';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';
import { kmsDecrypts, pathItem, secretItems } from '../helpers/vaultStore';

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

const AUDIT_UNAVAILABLE = { error: { code: 'AuditUnavailable', message: expect.stringMatching(/audit/) } };

/** Runs `act` with the audit outbox failing; returns its answer and what it changed behind the API. */
async function withAuditDown<T>(id: string | undefined, act: () => Promise<T>) {
  const fault = failingOutbox();
  const itemsBefore = id ? await secretItems(vault, id) : [];
  const decryptsBefore = await kmsDecrypts(vault);
  const restore = overrideDeps({ outbox: fault.outbox });
  let res: T;
  try {
    res = await act();
  } finally {
    restore();
  }
  return {
    res,
    attempts: fault.attempts,
    itemsBefore,
    itemsAfter: id ? await secretItems(vault, id) : [],
    decrypts: (await kmsDecrypts(vault)) - decryptsBefore,
  };
}

describe('when the audit log cannot record', () => {
  it('returns no OTP: 503 AuditUnavailable, nothing decrypted, the seed untouched', async () => {
    // Prepare
    const id = await secretWithCodes();
    // Act
    const { res, attempts, itemsBefore, itemsAfter, decrypts } = await withAuditDown(id, () => vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin }));
    // Assess
    expect(res.status).toBe(503);
    expect(res.body).toEqual(AUDIT_UNAVAILABLE);
    expect(attempts.some((e) => e.action === 'otp:generate')).toBe(true);
    expect(decrypts).toBe(0);
    expect(itemsAfter).toEqual(itemsBefore);
  });

  it('returns no recovery code: 503 AuditUnavailable, nothing decrypted; the claimed code is burnt, never handed out', async () => {
    // Prepare
    const id = await secretWithCodes();
    // Act
    const { res, itemsBefore, itemsAfter, decrypts } = await withAuditDown(id, () => vault.call('POST', `/v1/secrets/${id}/recovery-codes/reveal`, { token: admin }));
    // Assess: the claim is atomic and comes first (so two callers never get one code); the audit failed after it.
    expect(res.status).toBe(503);
    expect(res.body).toEqual(AUDIT_UNAVAILABLE);
    expect(res.text).not.toMatch(/keep-/);
    expect(decrypts).toBe(0);
    const recovery = (items: Record<string, unknown>[]) => items.find((item) => item.sk === 'RECOVERY') as Record<string, unknown>;
    expect(recovery(itemsAfter)).toEqual({ ...recovery(itemsBefore), next: (recovery(itemsBefore).next as number) + 1 });
    expect(itemsAfter.filter((item) => item.sk !== 'RECOVERY')).toEqual(itemsBefore.filter((item) => item.sk !== 'RECOVERY'));
  });

  it('refuses to answer a read: 503 AuditUnavailable, nothing decrypted, nothing changed', async () => {
    // Prepare
    const id = await secretWithCodes();
    // Act
    const { res, itemsBefore, itemsAfter, decrypts } = await withAuditDown(id, () => vault.call('GET', `/v1/secrets/${id}`, { token: admin }));
    // Assess
    expect(res.status).toBe(503);
    expect(res.body).toEqual(AUDIT_UNAVAILABLE);
    expect(res.text).not.toContain('failclosed');
    expect(decrypts).toBe(0);
    expect(itemsAfter).toEqual(itemsBefore);
  });

  // A state change carries its event in its own transaction; when that fails, the failure event
  // cannot be written either, and the answer names the audit log (503), not an internal error.
  const seedOverwrite = (id: string) => () => vault.call('PUT', `/v1/secrets/${id}/otp-seed`, { token: admin, body: { setupKey: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' } });
  const creation = (path: string) => () =>
    vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });

  it('overwrites no seed when the change cannot carry its event: refused, nothing decrypted, items unchanged', async () => {
    // Prepare
    const id = await secretWithCodes();
    // Act
    const { res, itemsBefore, itemsAfter, decrypts } = await withAuditDown(id, seedOverwrite(id));
    // Assess
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(decrypts).toBe(0);
    expect(itemsAfter).toEqual(itemsBefore);
  });

  it('creates nothing when the new secret cannot carry its event: refused, no path reserved, no item', async () => {
    // Prepare
    const path = uniquePath('/failclosed');
    // Act
    const { res } = await withAuditDown(undefined, creation(path));
    // Assess
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await pathItem(vault, path)).toBeUndefined();
    const list = await vault.call<{ items: unknown[] }>('GET', `/v1/secrets?path=${encodeURIComponent(path)}`, { token: admin });
    expect(list.body.items).toEqual([]);
  });

  it('answers a state change that cannot carry its event with 503 AuditUnavailable', async () => {
    // Prepare
    const id = await secretWithCodes();
    // Act
    const overwrite = await withAuditDown(id, seedOverwrite(id));
    const create = await withAuditDown(undefined, creation(uniquePath('/failclosed')));
    // Assess
    expect([overwrite.res.status, create.res.status]).toEqual([503, 503]);
    expect([overwrite.res.body, create.res.body]).toEqual([AUDIT_UNAVAILABLE, AUDIT_UNAVAILABLE]);
  });

  it('reads the store and the trail it compares with (the control of the checks above)', async () => {
    // Prepare
    const id = await secretWithCodes();
    const before = { items: await secretItems(vault, id), decrypts: await kmsDecrypts(vault) };
    // Act: the same calls with the audit log up.
    const otp = await vault.call('POST', `/v1/secrets/${id}/otp`, { token: admin });
    const reveal = await vault.call('POST', `/v1/secrets/${id}/recovery-codes/reveal`, { token: admin });
    // Assess
    expect([otp.status, reveal.status]).toEqual([200, 200]);
    expect((await kmsDecrypts(vault)) - before.decrypts).toBe(2);
    expect(await secretItems(vault, id)).not.toEqual(before.items);
    expect(before.items.map((item) => item.sk)).toEqual(['META', 'RECOVERY', 'SEED']);
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
