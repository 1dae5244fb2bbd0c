import { getDeps, overrideDeps } from '../../shared/api/deps';
import { AccessRequestStore } from '../../shared/approvals/AccessRequestStore';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

// GET /v1/access-requests a page at a time through the local runner. The listing is filtered after a
// bounded read (most requests are other people's), so a page may be short, or empty, with more behind
// it: the cursor must reach every match, once each, newest first.

type Page = { items: { id: string; requester: string }[]; nextCursor?: string };

let vault: TestVault;
const tokens: Record<string, string> = {};
/** Request ids by requester, oldest first. */
const made: Record<string, string[]> = { eve: [], bob: [] };

const list = (who: string, query: string) => vault.call<Page>('GET', `/v1/access-requests?${query}`, { token: tokens[who] });
const errorOf = (res: ApiResponse<unknown>) => (res.body as { error?: { code?: string; message?: string } }).error;

/** Every page of a listing, following `nextCursor` (at most 20 pages). */
async function allPages(who: string, query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const res = await list(who, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

beforeAll(async () => {
  vault = await startTestVault();
  tokens.admin = await vault.token('alice', ['admins']);
  tokens.bob = await vault.token('bob', ['oncall']);
  tokens.eve = await vault.token('eve', ['oncall']);
  tokens.dave = await vault.token('dave', ['security']);
  const prefix = uniquePath('/pages');
  const policy = { name: 'needs approval', effect: 'allow', principals: ['group:oncall'], resources: [`${prefix}/**`], actions: ['otp:generate'], approval: { approvers: ['group:security'] } };
  expect((await vault.call('POST', '/v1/policies', { token: tokens.admin, body: policy })).status).toBe(201);
  // Eve's two requests first (the oldest), then bob's five: one pending request per secret and requester.
  for (const [who, count] of [['eve', 2], ['bob', 5]] as const) {
    for (let i = 0; i < count; i++) {
      const path = `${prefix}/${who}-${i}`;
      const secret = await vault.call('POST', '/v1/secrets', { token: tokens.admin, body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
      expect(secret.status).toBe(201);
      const request = await vault.call<{ id: string }>('POST', '/v1/access-requests', { token: tokens[who], body: { path, actions: ['otp:generate'], justification: 'paging test' } });
      expect(request.status).toBe(201);
      made[who]?.push(request.body.id);
    }
  }
}, 120_000);

afterAll(async () => {
  await vault?.stop();
});

describe('GET /v1/access-requests, a page at a time', () => {
  it("pages through the caller's requests newest first, each once, the last page without a cursor", async () => {
    // Act
    const pages = await allPages('bob', 'mine=true&limit=2');
    // Assess
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.items.map((r) => r.id))).toEqual([...(made.bob ?? [])].reverse());
    expect(pages.map((page) => page.nextCursor !== undefined)).toEqual([true, true, false]);
  });

  it("pages through an approver's inbox across everyone's requests", async () => {
    // Act
    const pages = await allPages('dave', 'toApprove=true&limit=3');
    // Assess
    expect(pages.flatMap((page) => page.items.map((r) => r.id))).toEqual([...(made.eve ?? []), ...(made.bob ?? [])].reverse());
  });

  it('ends a page where the read budget ends, and its cursor reaches the older matches', async () => {
    // Prepare: the server reads two requests per call; eve's two are behind bob's five.
    const deps = getDeps();
    const restore = overrideDeps({ accessRequestStore: new AccessRequestStore(deps.db, deps.config.tables.vault, deps.config.cursorKey, 2) });
    try {
      // Act
      const pages = await allPages('eve', 'mine=true');
      // Assess: pages of two reads each ([b5 b4] [b3 b2] [b1 e2] [e1]); the first two keep nothing yet say there is more
      expect(pages.map((page) => page.items.map((r) => r.id))).toEqual([[], [], [made.eve?.[1]], [made.eve?.[0]]]);
      expect(pages.map((page) => page.nextCursor !== undefined)).toEqual([true, true, true, false]);
    } finally {
      restore();
    }
  });

  it('refuses a cursor made for another caller, other filters, or edited, with 400 naming the cursor', async () => {
    // Prepare
    const first = await list('bob', 'mine=true&limit=1');
    const cursor = first.body.nextCursor as string;
    const edited = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
    // Act
    const answers = await Promise.all([
      list('eve', `mine=true&limit=1&cursor=${cursor}`),
      list('bob', `toApprove=false&limit=1&cursor=${cursor}`),
      list('bob', `mine=true&status=pending&limit=1&cursor=${cursor}`),
      list('bob', `mine=true&limit=1&cursor=${edited}`),
    ]);
    const same = await list('bob', `mine=true&limit=1&cursor=${cursor}`);
    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(errorOf(answer)?.message).toContain('the cursor is not one this API returned for this listing');
    }
    expect(same.status).toBe(200);
    expect(same.body.items.map((r) => r.id)).toEqual([made.bob?.[3]]);
  });
});
