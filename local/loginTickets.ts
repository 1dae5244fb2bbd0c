/**
 * One-time sign-in links for the web console on the local stack, like a notebook server's token URL.
 * `npm start` and `otpvault local login-url` write a ticket into the data directory; the runner
 * redeems it once (`POST /local/session`) for an access token from the local issuer.
 *
 * Only the ticket's SHA-256 is kept on disk, and a redeem claims the file with an atomic rename, so a
 * link works once even when two tabs race, and keeps working across a restart until it expires.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tokenClaims, type LocalIssuer } from './issuer';

export const LOGIN_TICKET_LIMITS = {
  /** A printed link is good for this long unless the caller says otherwise. */
  defaultTtlSeconds: 3600,
  maxTtlSeconds: 86_400,
  /** Lifetime of the access token a ticket is exchanged for (the console has no refresh locally). */
  sessionSeconds: 8 * 3600,
} as const;

/** The fragment carries the ticket: browsers never send it to the server, so it stays out of logs. */
export const LOGIN_FRAGMENT = 'login=';

export interface LoginRequest {
  user: string;
  groups?: readonly string[];
  /** How long the link stays usable. @default 3600 */
  ttlSeconds?: number;
}

interface StoredTicket {
  user: string;
  groups: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** The ticket is unknown, used or expired; the message says which and what to do. */
export class LoginTicketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginTicketError';
  }
}

const TICKET = /^[A-Za-z0-9_-]{43}$/;

function ticketsDir(dataDir: string): string {
  return resolve(dataDir, 'console-logins');
}

function fileFor(dataDir: string, ticket: string): string {
  return join(ticketsDir(dataDir), `${createHash('sha256').update(ticket).digest('hex')}.json`);
}

/**
 * Writes a one-time ticket and returns the console link that carries it.
 *
 * @param dataDir - The local stack's data directory.
 * @param baseUrl - The runner's URL, e.g. `http://127.0.0.1:8787`.
 * @param request - Who signs in, with which groups, and how long the link lasts.
 * @param now - Epoch milliseconds (injected in tests).
 * @throws InvalidTokenRequestError for a bad user or group name.
 * @example
 * const link = await issueLoginLink('.otpvault', 'http://127.0.0.1:8787', { user: 'bob', groups: ['ops'] });
 */
export async function issueLoginLink(dataDir: string, baseUrl: string, request: LoginRequest, now = Date.now()): Promise<string> {
  const ttl = request.ttlSeconds ?? LOGIN_TICKET_LIMITS.defaultTtlSeconds;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > LOGIN_TICKET_LIMITS.maxTtlSeconds) {
    throw new LoginTicketError(`a sign-in link lasts 1 to ${LOGIN_TICKET_LIMITS.maxTtlSeconds} seconds, got ${ttl}`);
  }
  // Validates the names the same way a token would.
  const claims = tokenClaims({ user: request.user, groups: request.groups }, Math.floor(now / 1000));
  const dir = ticketsDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await dropExpired(dir, now);
  const ticket = randomBytes(32).toString('base64url');
  const stored: StoredTicket = { user: claims.username, groups: claims['cognito:groups'] ?? [], expiresAt: now + ttl * 1000 };
  await writeFile(fileFor(dataDir, ticket), JSON.stringify(stored), { mode: 0o600, flag: 'wx' });
  return `${baseUrl.replace(/\/$/, '')}/#${LOGIN_FRAGMENT}${ticket}`;
}

/**
 * Redeems a ticket once: the file is claimed by renaming it, then removed.
 *
 * @throws LoginTicketError when the ticket is malformed, unknown, already used or expired.
 */
export async function redeemLoginTicket(dataDir: string, ticket: string, now = Date.now()): Promise<StoredTicket> {
  if (!TICKET.test(ticket)) throw new LoginTicketError('this is not a sign-in ticket');
  const file = fileFor(dataDir, ticket);
  const claimed = `${file}.${randomUUID()}.redeeming`;
  try {
    await rename(file, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LoginTicketError('this sign-in link was already used or never existed; print a new one with `npm run --silent otpvault -- local login-url --user <name>`');
    }
    throw error;
  }
  try {
    const stored = JSON.parse(await readFile(claimed, 'utf8')) as StoredTicket;
    if (stored.expiresAt <= now) throw new LoginTicketError('this sign-in link has expired; print a new one with `npm run --silent otpvault -- local login-url --user <name>`');
    return stored;
  } finally {
    await rm(claimed, { force: true });
  }
}

/**
 * Exchanges a ticket for a console session: an access token from the local issuer.
 *
 * @example
 * const session = await exchangeLoginTicket(stack.dataDir, stack.issuer, ticket);
 */
export async function exchangeLoginTicket(
  dataDir: string,
  issuer: LocalIssuer,
  ticket: string,
  now = Date.now(),
): Promise<{ accessToken: string; expiresAt: string; user: string; groups: string[] }> {
  const stored = await redeemLoginTicket(dataDir, ticket, now);
  const accessToken = await issuer.signToken({ user: stored.user, groups: stored.groups, ttlSeconds: LOGIN_TICKET_LIMITS.sessionSeconds });
  return {
    accessToken,
    expiresAt: new Date(now + LOGIN_TICKET_LIMITS.sessionSeconds * 1000).toISOString(),
    user: stored.user,
    groups: stored.groups,
  };
}

async function dropExpired(dir: string, now: number): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    const stored = await readFile(path, 'utf8').then((text) => JSON.parse(text) as StoredTicket).catch(() => undefined);
    if (stored && stored.expiresAt <= now) await rm(path, { force: true });
  }
}
