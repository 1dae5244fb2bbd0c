/**
 * Local sign-in: the one-time link `npm start` or `otpvault local login-url` prints carries a ticket in
 * the URL fragment; it is removed from the address bar first, then exchanged for an access token that
 * lives in this tab's sessionStorage only.
 */
import type { Session } from './session';

const KEY = 'otpvault.localSession';
const FRAGMENT = '#login=';

interface Stored {
  accessToken: string;
  expiresAt: string;
}

export class SignInError extends Error {}

/**
 * @returns the session, or `undefined` when this tab has none and the URL carries no ticket.
 * @throws SignInError when the ticket is refused (used, expired).
 */
export async function localSession(): Promise<Session | undefined> {
  if (location.hash.startsWith(FRAGMENT)) {
    const ticket = location.hash.slice(FRAGMENT.length);
    // Out of the address bar and history before anything else happens.
    history.replaceState(null, '', `${location.pathname}#/`);
    const response = await fetch('/local/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket }),
      cache: 'no-store',
    });
    const body = (await response.json().catch(() => ({}))) as Stored & { error?: { message?: string } };
    if (!response.ok) throw new SignInError(body.error?.message ?? `sign-in failed (${response.status})`);
    sessionStorage.setItem(KEY, JSON.stringify({ accessToken: body.accessToken, expiresAt: body.expiresAt }));
  }
  const stored = read();
  if (!stored) return undefined;
  return {
    kind: 'local',
    token: async () => read()?.accessToken,
    signOut: async () => sessionStorage.removeItem(KEY),
  };
}

function read(): Stored | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Stored | null;
    if (!stored || Date.parse(stored.expiresAt) <= Date.now()) return undefined;
    return stored;
  } catch {
    return undefined;
  }
}
