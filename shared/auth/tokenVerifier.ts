import { readFileSync } from 'node:fs';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthConfig } from '../config/vaultConfig';
import { UnauthenticatedError } from '../errors';
import { principal, type Principal } from './principal';

/** Turns a bearer token into a principal, or throws UnauthenticatedError. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

const NAME = /^[A-Za-z0-9._@:/+=,-]{1,256}$/;

/** Maps verified claims (Cognito access-token shape) to a principal. */
export function principalFromClaims(claims: JwtPayload): Principal {
  const groups = Array.isArray(claims['cognito:groups'])
    ? claims['cognito:groups'].filter((g): g is string => typeof g === 'string')
    : [];
  const username = typeof claims.username === 'string' ? claims.username : undefined;
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  const kindClaim = claims['otpvault:principal_kind'];
  // Cognito client-credentials tokens carry no username: the app client itself is the caller.
  const kind = kindClaim === 'service' || (!username && clientId) ? 'service' : 'user';
  const name = username ?? clientId;
  if (!name || !NAME.test(name)) throw new UnauthenticatedError('the token names no usable principal');
  return principal(kind, name, groups);
}

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  if (config.mode === 'cognito') {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: config.userPoolId,
      clientId: config.clientId,
      tokenUse: 'access',
    });
    return { verify: (token) => verifyWith(() => verifier.verify(token)) };
  }
  const verifier = JwtVerifier.create({ issuer: config.issuer, audience: null, jwksUri: `file://${config.jwksFile}` });
  // The local issuer's keys are on disk: cache them so the verifier never fetches.
  verifier.cacheJwks(JSON.parse(readFileSync(config.jwksFile, 'utf8')));
  return {
    verify: (token) =>
      verifyWith(async () => {
        const claims = await verifier.verify(token);
        if (claims.token_use !== 'access') throw new UnauthenticatedError('an access token is required');
        return claims;
      }),
  };
}

async function verifyWith(check: () => Promise<JwtPayload>): Promise<Principal> {
  let claims: JwtPayload;
  try {
    claims = await check();
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw error;
    // aws-jwt-verify's messages say what failed (expired, wrong issuer, bad signature) without the token.
    const reason = error instanceof Error ? error.message : 'invalid token';
    throw new UnauthenticatedError(`the bearer token was rejected: ${reason}`);
  }
  return principalFromClaims(claims);
}

/** Extracts the token from an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string {
  if (!header) throw new UnauthenticatedError('missing Authorization header (expected "Bearer <token>")');
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
  return match[1] as string;
}
