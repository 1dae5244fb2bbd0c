import { overrideDeps } from '../../shared/api/deps';
import type { AuditEvent } from '../../shared/audit/event';
import type { AuditOutbox } from '../../shared/audit/AuditOutbox';
import { routes } from '../../shared/api/routes';
import { startTestVault, type TestVault } from '../helpers/vault';

/**
 * Public routes (no token, no signature) answer at every API URL, the execute-api ones included,
 * where neither WAF nor the origin check stands. A bad request to them must not write an audit event,
 * or anyone could fill the locked archive at will.
 */

let vault: TestVault;
let restore: () => void;
const written: AuditEvent[] = [];

beforeAll(async () => {
  vault = await startTestVault();
  // Records what reaches the outbox; every write fails, so an attempted write would also turn the answer into a 503.
  const recording: AuditOutbox = {
    write: async (event) => {
      written.push(event);
      throw new Error('injected: a public route must not write audit events');
    },
    transactItem: () => {
      throw new Error('injected: a public route must not write audit events');
    },
  };
  restore = overrideDeps({ outbox: recording });
});
afterAll(async () => {
  restore?.();
  await vault?.stop();
});

const publicRoutes = routes.filter((r) => r.auth === 'none');

describe('bad requests to public routes', () => {
  it('has public routes to check', () => {
    expect(publicRoutes.map((r) => r.op).sort()).toEqual(['getOpenApi', 'health']);
  });

  it.each(publicRoutes.map((r) => [r.method, r.path]))('answers %s %s with an unknown query parameter 400, and writes no audit event', async (method, path) => {
    // Act
    const res = await vault.call(method, `${path}?unexpected=1`);

    // Assess
    expect(res.status).toBe(400);
    expect(written).toEqual([]);
  });
});
