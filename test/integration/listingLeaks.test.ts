import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// A user allowed /team/** but denied /team/hr/** must learn nothing about /team/hr from listings:
// no count of what was read, no readable cursor, no cursor the caller can forge or reuse.
let vault: TestVault;
let admin: string;
let dana: string;
let erin: string;
let root: string;

type ListBody = { items: { path: string }[]; nextCursor?: string };

beforeAll(async () => {
  vault = await startTestVault();
  admin = await vault.token('alice', ['admins']);
  dana = await vault.token('dana');
  erin = await vault.token('erin');
  root = uniquePath('/team');
  for (const path of [`${root}/a`, `${root}/b`, `${root}/c`, `${root}/hr/payroll`, `${root}/hr/pension`, `${root}/z`]) {
    const res = await vault.call('POST', '/v1/secrets', { token: admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
    expect(res.status).toBe(201);
  }
  for (const [user, effect, resources] of [
    ['dana', 'allow', [`${root}/**`]],
    ['dana', 'deny', [`${root}/hr/**`]],
    ['erin', 'allow', [`${root}/**`]],
  ] as const) {
    const res = await vault.call('POST', '/v1/policies', {
      token: admin,
      body: { name: `${user} ${effect} ${resources[0]}`, effect, principals: [`user:${user}`], resources: [...resources], actions: ['secret:read', 'otp:generate'] },
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await vault?.stop();
});

const list = (token: string, query: string) => vault.call<ListBody>('GET', `/v1/secrets?${query}`, { token });

describe('listings and what they reveal', () => {
  it('answers GET /v1/me/secrets with the items only, no count of secrets read', async () => {
    const res = await vault.call<Record<string, unknown>>('GET', `/v1/me/secrets?prefix=${encodeURIComponent(root)}`, { token: dana });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['items']);
  });

  it('gives cursors that show no path or key', async () => {
    // Act
    const page = await list(dana, `prefix=${encodeURIComponent(`${root}/`)}&limit=2`);

    // Assess
    expect(page.status).toBe(200);
    const cursor = page.body.nextCursor as string;
    expect(cursor).toBeDefined();
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(decoded).not.toContain(root);
    expect(decoded).not.toContain('SECRET#');
  });

  it('pages through what the caller may read, and nothing else', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await list(dana, `prefix=${encodeURIComponent(`${root}/`)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((item) => item.path));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([`${root}/a`, `${root}/b`, `${root}/c`, `${root}/z`]);
  });

  it('refuses a cursor built from a raw index key, as an attacker probing prefixes would', async () => {
    const forged = Buffer.from(
      JSON.stringify({ pk: 'SECRET#x', sk: 'META', kind: 'secret', sortKey: `${root}/hr/p` }),
    ).toString('base64url');
    const res = await list(dana, `prefix=${encodeURIComponent(`${root}/`)}&limit=2&cursor=${forged}`);
    expect(res.status).toBe(400);
  });

  it('refuses a cursor made for another caller or another prefix', async () => {
    const page = await list(dana, `prefix=${encodeURIComponent(`${root}/`)}&limit=2`);
    const cursor = page.body.nextCursor as string;
    expect((await list(erin, `prefix=${encodeURIComponent(`${root}/`)}&limit=2&cursor=${cursor}`)).status).toBe(400);
    expect((await list(dana, `prefix=${encodeURIComponent(`${root}/hr/`)}&limit=2&cursor=${cursor}`)).status).toBe(400);
  });
});
