/**
 * Sign-in in AWS: Cognito managed login, authorization code with PKCE (oidc-client-ts). Tokens stay
 * in this tab's sessionStorage; the access token is renewed with the refresh token before it expires
 * (a fetch to the token endpoint, no iframe); sign-out revokes the refresh token and ends the
 * managed login session. Loaded only when config.json says `cognito`, so local builds skip it.
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig, Session } from './session';

type CognitoConfig = Extract<ConsoleConfig, { auth: 'cognito' }>;

export async function cognitoSession(config: CognitoConfig): Promise<Session> {
  const home = `${location.origin}/`;
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    scope: 'openid email profile',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: true,
    // Cognito's discovery document has neither endpoint.
    metadataSeed: { end_session_endpoint: `${config.domain}/logout`, revocation_endpoint: `${config.domain}/oauth2/revoke` },
  });
  const query = new URLSearchParams(location.search);
  if (query.has('code') && query.has('state')) {
    const signedIn = await manager.signinRedirectCallback();
    // The code is single-use, but it has no business in the address bar or history.
    const page = typeof signedIn.state === 'string' && signedIn.state.startsWith('#/') ? signedIn.state : '#/';
    history.replaceState(null, '', `/${page}`);
  }
  let user = await manager.getUser();
  if (!user || user.expired) user = await manager.signinSilent().catch(() => null);
  if (!user) {
    // Comes back to the page that was asked for (a deep link).
    await manager.signinRedirect({ state: location.hash.startsWith('#/') ? location.hash : '#/' });
    // The browser is leaving for the managed login page.
    return new Promise<Session>(() => undefined);
  }
  return {
    kind: 'cognito',
    token: async () => {
      let current = await manager.getUser();
      if (current?.expired) current = await manager.signinSilent().catch(() => null);
      return current?.access_token;
    },
    signOut: async () => {
      await manager.revokeTokens(['refresh_token']).catch(() => undefined);
      await manager.removeUser();
      // Cognito's /logout wants client_id and logout_uri rather than the OIDC parameters.
      await manager.signoutRedirect({ extraQueryParams: { client_id: config.clientId, logout_uri: home } });
    },
  };
}
