/**
 * Cognito sign-in without an SDK: InitiateAuth over Cognito's JSON protocol (one POST with an
 * `X-Amz-Target` header), for USER_PASSWORD_AUTH (`otpvault login`, answering a SOFTWARE_TOKEN_MFA
 * challenge with RespondToAuthChallenge) and REFRESH_TOKEN_AUTH (the silent refresh of a stored token). SRP is not implemented. `$OTPVAULT_COGNITO_ENDPOINT` replaces
 * `https://cognito-idp.<region>.amazonaws.com/` (tests point it at a local double of Cognito).
 */
import type { StoredToken } from './config';
import { CliError, EXIT } from './errors';

export interface CognitoClientRef {
  region: string;
  clientId: string;
}

/** Refresh when the access token expires within this much time. */
export const REFRESH_MARGIN_MS = 60_000;

interface InitiateAuthAnswer {
  AuthenticationResult?: { AccessToken?: string; IdToken?: string; RefreshToken?: string; ExpiresIn?: number; TokenType?: string };
  ChallengeName?: string;
  Session?: string;
}

export function cognitoEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.OTPVAULT_COGNITO_ENDPOINT?.trim() || `https://cognito-idp.${region}.amazonaws.com/`;
}

async function initiateAuth(ref: CognitoClientRef, flow: string, parameters: Record<string, string>, fetchImpl: typeof fetch): Promise<InitiateAuthAnswer> {
  return cognitoCall(ref, 'InitiateAuth', { AuthFlow: flow, ClientId: ref.clientId, AuthParameters: parameters }, flow, fetchImpl);
}

/** One call of Cognito's JSON protocol; its failures become CliErrors (`flow` words the refusals). */
async function cognitoCall(ref: CognitoClientRef, operation: string, payload: object, flow: string, fetchImpl: typeof fetch): Promise<InitiateAuthAnswer> {
  let response: Response;
  try {
    response = await fetchImpl(cognitoEndpoint(ref.region), {
      method: 'POST',
      headers: { 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(payload),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new CliError(`cannot reach Cognito: ${cause?.code ?? (error instanceof Error ? error.message : String(error))}`, EXIT.unavailable);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // A proxy's HTML error page: reported by status below.
  }
  if (response.ok) return body as InitiateAuthAnswer;
  // `__type` may be `com.amazonaws...#NotAuthorizedException` or the bare name.
  const type = String(body.__type ?? body.code ?? '').split('#').pop() ?? '';
  const message = String(body.message ?? body.Message ?? `HTTP ${response.status}`);
  throw cognitoFailure(type, message, response.status, flow);
}

function cognitoFailure(type: string, message: string, status: number, flow: string): CliError {
  switch (type) {
    case 'CodeMismatchException':
      return new CliError('sign-in refused: the MFA code does not match (use the current code of your authenticator)', EXIT.unauthenticated);
    case 'ExpiredCodeException':
      return new CliError('sign-in refused: the MFA session expired; run otpvault login again', EXIT.unauthenticated);
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return flow === 'REFRESH_TOKEN_AUTH'
        ? new CliError('the stored sign-in expired or was revoked: run otpvault login again', EXIT.unauthenticated)
        : new CliError(`sign-in refused: ${message}`, EXIT.unauthenticated);
    case 'PasswordResetRequiredException':
      return new CliError('sign-in refused: the password must be reset first (forgotten-password flow in the console)', EXIT.unauthenticated);
    case 'UserNotConfirmedException':
      return new CliError('sign-in refused: the user is not confirmed yet', EXIT.unauthenticated);
    case 'InvalidParameterException':
      return new CliError(
        /USER_PASSWORD_AUTH/.test(message) ? `the app client does not allow USER_PASSWORD_AUTH (redeploy the stack): ${message}` : `Cognito refused the request: ${message}`,
        EXIT.invalid,
      );
    case 'ResourceNotFoundException':
      return new CliError(`unknown Cognito app client: ${message}`, EXIT.invalid);
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return new CliError(`Cognito is throttling sign-ins: ${message}`, EXIT.unavailable);
    default:
      return new CliError(`Cognito answered ${status}${type ? ` ${type}` : ''}: ${message}`, status >= 500 ? EXIT.unavailable : EXIT.failure);
  }
}

function tokensFrom(answer: InitiateAuthAnswer, previousRefreshToken?: string, now = Date.now()): StoredToken {
  if (answer.ChallengeName) throw challengeRefused(answer.ChallengeName);
  const result = answer.AuthenticationResult;
  if (!result?.AccessToken) throw new CliError('Cognito answered without tokens', EXIT.unavailable);
  const refreshToken = result.RefreshToken ?? previousRefreshToken;
  return {
    accessToken: result.AccessToken,
    ...(result.IdToken ? { idToken: result.IdToken } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    ...(result.ExpiresIn ? { expiresAt: new Date(now + result.ExpiresIn * 1000).toISOString() } : {}),
  };
}

function challengeRefused(challenge: string): CliError {
  if (challenge === 'NEW_PASSWORD_REQUIRED') {
    return new CliError('sign-in needs a new password (challenge NEW_PASSWORD_REQUIRED), which the CLI does not set: sign in once in the web console, then run otpvault login again', EXIT.unauthenticated);
  }
  if (challenge === 'SOFTWARE_TOKEN_MFA') {
    return new CliError('sign-in needs the code of your authenticator app (challenge SOFTWARE_TOKEN_MFA): pass --mfa-code <code>, or run login on a terminal', EXIT.unauthenticated);
  }
  if (/MFA/.test(challenge)) {
    return new CliError(`sign-in needs a second factor (challenge ${challenge}), which the CLI does not answer: use the web console, or pass a token with --token-stdin`, EXIT.unauthenticated);
  }
  return new CliError(`sign-in needs the challenge ${challenge}, which the CLI does not answer`, EXIT.unauthenticated);
}

/** USER_PASSWORD_AUTH: the tokens, or a CliError (exit 3 for a refused sign-in or a challenge). */
export async function passwordSignIn(
  ref: CognitoClientRef,
  username: string,
  password: string,
  /** The authenticator app's current code, asked only when Cognito asks for it (the stack's pool requires TOTP MFA). */
  mfaCode: () => Promise<string | undefined> = async () => undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<StoredToken> {
  const answer = await initiateAuth(ref, 'USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password }, fetchImpl);
  if (answer.ChallengeName !== 'SOFTWARE_TOKEN_MFA') return tokensFrom(answer);
  const code = (await mfaCode())?.trim();
  if (!code) throw challengeRefused(answer.ChallengeName);
  const challenge = { ChallengeName: answer.ChallengeName, ClientId: ref.clientId, Session: answer.Session, ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code } };
  return tokensFrom(await cognitoCall(ref, 'RespondToAuthChallenge', challenge, 'USER_PASSWORD_AUTH', fetchImpl));
}

/** REFRESH_TOKEN_AUTH: fresh access and id tokens; the refresh token is kept unless Cognito rotated it. */
export async function refreshSignIn(ref: CognitoClientRef, refreshToken: string, fetchImpl: typeof fetch = fetch): Promise<StoredToken> {
  return tokensFrom(await initiateAuth(ref, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }, fetchImpl), refreshToken);
}

/** Whether a stored token is expired or expires within the margin. */
export function nearExpiry(token: StoredToken, now = Date.now()): boolean {
  return token.expiresAt !== undefined && Date.parse(token.expiresAt) - now <= REFRESH_MARGIN_MS;
}
