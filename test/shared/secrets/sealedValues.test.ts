import type { AuditEvent } from '../../../shared/audit/event';
import type { AuditOutbox } from '../../../shared/audit/AuditOutbox';
import { RequestAudit } from '../../../shared/audit/RequestAudit';
import type { FieldBinding, FieldCipher } from '../../../shared/crypto/FieldCipher';
import { bindings, SealedValues, text } from '../../../shared/secrets/SealedValues';

/** Sealed values: bound where they belong, opened only after the audit event is durable, wiped after use. */

const NOW = Date.parse('2026-01-01T00:00:00Z');

function setup(options: { auditFails?: boolean } = {}) {
  const steps: string[] = [];
  const plaintexts: Uint8Array[] = [];
  const outbox: AuditOutbox = {
    write: async (event: AuditEvent) => {
      if (options.auditFails) throw new Error('outbox unavailable');
      steps.push(`audit:${event.reason}`);
    },
    transactItem: () => {
      throw new Error('not used');
    },
  };
  const cipher: FieldCipher = {
    encrypt: async (plain: Uint8Array, binding: FieldBinding) => {
      steps.push(`encrypt:${binding.part ?? binding.field}`);
      return Uint8Array.from(plain).reverse();
    },
    decrypt: async (ciphertext: Uint8Array, binding: FieldBinding) => {
      steps.push(`decrypt:${binding.part ?? binding.field}`);
      const plain = Uint8Array.from(ciphertext).reverse();
      plaintexts.push(plain);
      return plain;
    },
  };
  const audit = new RequestAudit(outbox, { requestId: 'r-1', operation: 'revealField', action: 'secret:reveal', sourceIp: '127.0.0.1', userAgent: 'jest' }, () => NOW);
  return { sealed: new SealedValues(cipher), audit, steps, plaintexts };
}

describe('sealed values', () => {
  it('binds seeds and recovery codes to their version and index', () => {
    // Assess
    expect(bindings.field('s-1', 'password')).toEqual({ secretId: 's-1', field: 'password' });
    expect(bindings.seed('s-1', 'seed', 3)).toEqual({ secretId: 's-1', field: 'seed', part: 'v3' });
    expect(bindings.recoveryCode('s-1', 'codes', 2, 7)).toEqual({ secretId: 's-1', field: 'codes', part: 'v2:7' });
  });

  it('wipes the bytes it sealed', async () => {
    // Prepare
    const { sealed } = setup();
    const key = Uint8Array.from([1, 2, 3]);

    // Act
    const ciphertext = await sealed.seal(key, bindings.seed('s-1', 'seed', 1));

    // Assess
    expect([...ciphertext]).toEqual([3, 2, 1]);
    expect([...key]).toEqual([0, 0, 0]);
  });

  it('writes the audit event before it decrypts, and wipes the plaintext after use', async () => {
    // Prepare
    const { sealed, audit, steps, plaintexts } = setup();
    const ciphertext = await sealed.seal('hunter2', bindings.field('s-1', 'password'));
    steps.length = 0;

    // Act
    const value = await sealed.reveal(audit, { reason: 'field revealed', details: { field: 'password' } }, ciphertext, bindings.field('s-1', 'password'), text);

    // Assess
    expect(value).toBe('hunter2');
    expect(steps).toEqual(['audit:field revealed', 'decrypt:password']);
    expect(plaintexts[0]?.every((b) => b === 0)).toBe(true);
  });

  it('never decrypts when the audit event cannot be written', async () => {
    // Prepare
    const { sealed, audit, steps } = setup({ auditFails: true });

    // Act
    const reveal = sealed.reveal(audit, { reason: 'otp generated', details: {} }, Uint8Array.from([1]), bindings.seed('s-1', 'seed', 1), text);

    // Assess
    await expect(reveal).rejects.toThrow('could not record');
    expect(steps).toEqual([]);
  });
});
