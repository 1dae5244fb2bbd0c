import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { createProgram } from '../../../cli/program';
import { createConsoleSite } from '../../../local/console';
import { initLocalIssuer, type LocalIssuer } from '../../../local/issuer';
import { exchangeLoginTicket, issueLoginLink, LOGIN_TICKET_LIMITS, LoginTicketError, redeemLoginTicket } from '../../../local/loginTickets';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const ticketOf = (link: string) => link.split('#login=')[1] as string;

describe('one-time sign-in links', () => {
  let dataDir: string;
  let issuer: LocalIssuer;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'otpvault-tickets-'));
    issuer = await initLocalIssuer(dataDir);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('carries the ticket in the fragment and keeps only its hash on disk, readable by the owner alone', async () => {
    // Act
    const link = await issueLoginLink(dataDir, 'http://127.0.0.1:8787/', { user: 'bob', groups: ['ops'] }, NOW);
    // Assess
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:8787\/#login=[A-Za-z0-9_-]{43}$/);
    const files = readdirSync(join(dataDir, 'console-logins'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(files[0]).not.toContain(ticketOf(link));
    expect(statSync(join(dataDir, 'console-logins', files[0] as string)).mode & 0o777).toBe(0o600);
  });

  it('exchanges a ticket once for an access token of that user and groups', async () => {
    // Prepare
    const ticket = ticketOf(await issueLoginLink(dataDir, 'http://x', { user: 'bob', groups: ['ops', 'dev'] }, NOW));
    // Act
    const session = await exchangeLoginTicket(dataDir, issuer, ticket, NOW + 1000);
    // Assess
    const claims = decodeJwt(session.accessToken);
    expect(claims).toMatchObject({ username: 'bob', 'cognito:groups': ['ops', 'dev'], token_use: 'access' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(LOGIN_TICKET_LIMITS.sessionSeconds);
    await expect(exchangeLoginTicket(dataDir, issuer, ticket, NOW + 2000)).rejects.toThrow(/already used/);
  });

  it('lets exactly one of two racing redeems win', async () => {
    // Prepare
    const ticket = ticketOf(await issueLoginLink(dataDir, 'http://x', { user: 'bob' }, NOW));
    // Act
    const results = await Promise.allSettled([redeemLoginTicket(dataDir, ticket, NOW), redeemLoginTicket(dataDir, ticket, NOW)]);
    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('refuses an expired ticket, a forged one and bad names, and clears expired tickets on the next issue', async () => {
    // Prepare
    const expired = ticketOf(await issueLoginLink(dataDir, 'http://x', { user: 'bob', ttlSeconds: 60 }, NOW));
    const stale = ticketOf(await issueLoginLink(dataDir, 'http://x', { user: 'eve', ttlSeconds: 60 }, NOW));
    // Act, Assess
    await expect(redeemLoginTicket(dataDir, expired, NOW + 60_000)).rejects.toThrow(/expired/);
    await expect(redeemLoginTicket(dataDir, 'A'.repeat(43), NOW)).rejects.toThrow(LoginTicketError);
    await expect(redeemLoginTicket(dataDir, '../../etc/passwd', NOW)).rejects.toThrow(/not a sign-in ticket/);
    await expect(issueLoginLink(dataDir, 'http://x', { user: 'bob smith' }, NOW)).rejects.toThrow(/not valid/);
    await expect(issueLoginLink(dataDir, 'http://x', { user: 'bob', ttlSeconds: 0 }, NOW)).rejects.toThrow(/1 to 86400/);
    await issueLoginLink(dataDir, 'http://x', { user: 'bob' }, NOW + 120_000);
    expect(readdirSync(join(dataDir, 'console-logins'))).toHaveLength(1);
    await expect(redeemLoginTicket(dataDir, stale, NOW)).rejects.toThrow(/already used or never existed/);
  });
});

describe('the console site on the local runner', () => {
  let dataDir: string;
  let dist: string;
  let site: ReturnType<typeof createConsoleSite>;
  const get = (target: string) => site({ method: 'GET', target, body: Buffer.alloc(0) });
  const header = (answer: Awaited<ReturnType<typeof get>>, name: string) => answer?.headers.find(([n]) => n === name)?.[1];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'otpvault-site-'));
    dist = join(dataDir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dist, 'assets', 'main-ABC.js'), 'export {}');
    writeFileSync(join(dataDir, 'secret.txt'), 'not for the web');
    site = createConsoleSite({ dataDir, issuer: await initLocalIssuer(dataDir), dist });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves index.html at / with the CSP, no framing and no referrer, and leaves API paths to the router', async () => {
    // Act
    const index = await get('/');
    // Assess
    expect(index?.statusCode).toBe(200);
    expect(header(index, 'content-security-policy')).toContain("script-src 'self';");
    expect(header(index, 'content-security-policy')).toContain("frame-ancestors 'none'");
    expect(header(index, 'referrer-policy')).toBe('no-referrer');
    expect(header(index, 'cache-control')).toBe('no-cache');
    expect(header(await get('/assets/main-ABC.js'), 'cache-control')).toContain('immutable');
    expect(await get('/v1/me')).toBeUndefined();
    expect(await get('/health')).toBeUndefined();
    expect(JSON.parse(String((await get('/config.json'))?.body))).toEqual({ auth: 'local', apiUrl: '' });
  });

  it('serves nothing outside its folder', async () => {
    // Assess
    for (const target of ['/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%E0%A4%A']) {
      expect((await get(target))?.statusCode).toBe(404);
    }
  });

  it('answers a used or unknown ticket with 401 and a malformed body with 400', async () => {
    // Act
    const unknown = await site({ method: 'POST', target: '/local/session', body: Buffer.from(JSON.stringify({ ticket: 'A'.repeat(43) })) });
    const malformed = await site({ method: 'POST', target: '/local/session', body: Buffer.from('{') });
    // Assess
    expect(unknown?.statusCode).toBe(401);
    expect(malformed?.statusCode).toBe(400);
    expect((await get('/local/session'))?.statusCode).toBe(405);
  });
});

describe('otpvault local login-url', () => {
  let dataDir: string;
  const run = async (...args: string[]) => {
    let out = '';
    try {
      await createProgram({ out: (text) => (out += text), err: () => undefined }).parseAsync(['node', 'otpvault', 'local', 'login-url', ...args]);
      return { out };
    } catch (error) {
      return { out, error };
    }
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'otpvault-login-url-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('needs a data directory npm start has set up', async () => {
    // Act
    const { out, error } = await run('--user', 'bob', '--data-dir', dataDir);
    // Assess
    expect(out).toBe('');
    expect(String(error)).toMatch(/npm start/);
  });

  it('prints one link, for the given user, groups and base URL, that redeems once', async () => {
    // Prepare
    const issuer = await initLocalIssuer(dataDir);
    // Act
    const { out, error } = await run('--user', 'bob', '--groups', 'ops,dev', '--url', 'http://127.0.0.1:9999', '--data-dir', dataDir);
    // Assess
    expect(error).toBeUndefined();
    expect(out).toMatch(/^http:\/\/127\.0\.0\.1:9999\/#login=[A-Za-z0-9_-]{43}\n$/);
    const session = await exchangeLoginTicket(dataDir, issuer, ticketOf(out.trim()));
    expect(session).toMatchObject({ user: 'bob', groups: ['ops', 'dev'] });
  });
});
