import { startTestVault, type TestVault } from '../helpers/vault';

// "Who am I, and what may I use?": /v1/me, /v1/me/secrets and the filtered GET /v1/secrets,
// through the local runner. Each test file gets a fresh data directory, so paths are fixed.
let vault: TestVault;
let admin: string;
let mia: string;
const ids: Record<string, string> = {};

const PATHS = ['/team-a/dev/app', '/team-a/prod/db', '/team-b/x', '/team-a-other/y'];
const PAGED = ['/pg/01-r', '/pg/02-x', '/pg/03-r', '/pg/04-x', '/pg/05-r', '/pg/06-r', '/pg/07-x', '/pg/08-r'];

/** Creates something as admin (`/v1/secrets`, `/v1/policies`) and returns its id. */
async function create(route: string, body: Record<string, unknown>): Promise<string> {
  const res = await vault.call('POST', route, { token: admin, body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
  mia = await vault.token('mia', ['team-a']);
  for (const path of [...PATHS, ...PAGED]) {
    ids[path] = await create('/v1/secrets', { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } });
  }
  await create('/v1/policies', { name: 'team a', effect: 'allow', principals: ['group:team-a'], resources: ['/team-a/**'], actions: ['otp:generate', 'secret:read'] });
  await create('/v1/policies', { name: 'no prod codes for mia', effect: 'deny', principals: ['user:mia'], resources: ['/team-a/prod/**'], actions: ['otp:generate'] });
  await create('/v1/policies', { name: 'mia audits', effect: 'allow', principals: ['user:mia'], resources: ['*'], actions: ['audit:read'] });
  await create('/v1/policies', { name: 'mia reads some', effect: 'allow', principals: ['user:mia'], resources: ['/pg/*-r'], actions: ['secret:read'] });
});
afterAll(async () => {
  await vault?.stop();
});

interface MySecretsBody {
  items: { id: string; path: string; actions: string[] }[];
}

describe('GET /v1/me', () => {
  it('shows the caller, its groups and its effective permissions now', async () => {
    // Act
    const res = await vault.call<{ permissions: { action: string; allow: string[]; deny: string[] }[] }>('GET', '/v1/me', { token: mia });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      principal: { id: 'user:mia', kind: 'user', name: 'mia' },
      groups: ['team-a'],
      sourceIp: '127.0.0.1',
      globalActions: ['audit:read'],
    });
    const row = (action: string) => res.body.permissions.find((p) => p.action === action);
    expect(row('otp:generate')).toEqual({ action: 'otp:generate', allow: ['/team-a/**'], deny: ['/team-a/prod/**'] });
    expect(row('secret:read')).toEqual({ action: 'secret:read', allow: ['/team-a/**', '/pg/*-r'], deny: [] });
    expect(row('policy:manage')).toEqual({ action: 'policy:manage', allow: [], deny: [] });
  });

  it('answers a caller without any policy, with nothing allowed', async () => {
    // Act
    const res = await vault.call<{ globalActions: string[]; permissions: { allow: string[] }[] }>('GET', '/v1/me', { token: await vault.serviceToken('lonely') });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ principal: { id: 'service:lonely', kind: 'service' }, globalActions: [] });
    expect(res.body.permissions.every((p) => p.allow.length === 0)).toBe(true);
  });
});

describe('GET /v1/me/secrets', () => {
  it('lists only the secrets the caller may use, with the actions allowed on each', async () => {
    // Act
    const res = await vault.call<MySecretsBody>('GET', '/v1/me/secrets', { token: mia });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      ...['/pg/01-r', '/pg/03-r', '/pg/05-r', '/pg/06-r', '/pg/08-r'].map((path) => ({ id: ids[path], path, actions: ['secret:read'] })),
      { id: ids['/team-a/dev/app'], path: '/team-a/dev/app', actions: ['otp:generate', 'secret:read'] },
      { id: ids['/team-a/prod/db'], path: '/team-a/prod/db', actions: ['secret:read'] },
    ]);
  });

  it('narrows to a prefix', async () => {
    // Act
    const res = await vault.call<MySecretsBody>('GET', '/v1/me/secrets?prefix=/team-a/', { token: mia });
    // Assess
    expect(res.body.items.map((s) => s.path)).toEqual(['/team-a/dev/app', '/team-a/prod/db']);
  });

  it('gives admins every secret with every secret action', async () => {
    // Act
    const res = await vault.call<MySecretsBody>('GET', '/v1/me/secrets', { token: admin });
    // Assess
    expect(res.body.items).toHaveLength(PATHS.length + PAGED.length);
    expect(res.body.items[0]?.actions).toEqual(['otp:generate', 'recovery:reveal', 'secret:read', 'secret:reveal', 'secret:write', 'secret:delete', 'seed:overwrite']);
  });

  it('answers a caller without any policy with an empty list', async () => {
    // Act
    const res = await vault.call<MySecretsBody>('GET', '/v1/me/secrets', { token: await vault.token('nobody') });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});

describe('GET /v1/secrets for a caller who may read some secrets', () => {
  it('returns only readable secrets, page by page, without skipping or repeating any', async () => {
    // Act
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const res = await vault.call<{ items: { path: string }[]; nextCursor?: string }>('GET', `/v1/secrets?prefix=/pg/&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: mia });
      expect(res.status).toBe(200);
      pages.push(res.body.items.map((s) => s.path));
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 10);
    // Assess
    expect(pages).toEqual([['/pg/01-r', '/pg/03-r'], ['/pg/05-r', '/pg/06-r'], ['/pg/08-r']]);
  });

  it('finds an unreadable secret by exact path no more than a missing one', async () => {
    // Act
    const unreadable = await vault.call<{ items: unknown[] }>('GET', '/v1/secrets?path=/team-b/x', { token: mia });
    const missing = await vault.call<{ items: unknown[] }>('GET', '/v1/secrets?path=/team-b/none', { token: mia });
    // Assess
    expect([unreadable.status, missing.status]).toEqual([200, 200]);
    expect(unreadable.body).toEqual({ items: [] });
    expect(missing.body).toEqual({ items: [] });
  });

  it('lists nothing of other teams without a prefix', async () => {
    // Act
    const res = await vault.call<{ items: { path: string }[] }>('GET', '/v1/secrets', { token: mia });
    // Assess
    expect(res.body.items.map((s) => s.path)).toEqual(['/pg/01-r', '/pg/03-r', '/pg/05-r', '/pg/06-r', '/pg/08-r', '/team-a/dev/app', '/team-a/prod/db']);
  });
});
