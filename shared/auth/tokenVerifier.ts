import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidClaimError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthConfig } from '../config/vaultConfig';
import { UnauthenticatedError } from '../errors';
import { principal, SUB, type Principal } from './principal';

/** Turns a bearer token into a principal, or throws TokenRejectedError. */
export interface TokenVerifier {
  /**
   * @throws TokenRejectedError when the token is not one the vault accepts (the caller's fault).
   * @throws any other error when the vault could not check it (the signing keys could not be fetched).
   */
  verify(token: string): Promise<Principal>;
}

/**
 * A bearer token the vault refuses. `principal` is set only when the token's signature checked
 * out and only a claim was wrong (expired, not an access token, another app client): the issuer
 * vouches for who it names, so the failure can be attributed. Never set from unverified claims.
 */
export class TokenRejectedError extends UnauthenticatedError {
  constructor(
    message: string,
    readonly principal?: Principal,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z0-9._@:/+=,-]{1,256}$/;

/** Maps verified claims (Cognito access-token shape) to a principal. */
function principalFromClaims(claims: JwtPayload): Principal {
  const groups = Array.isArray(claims['cognito:groups'])
    ? claims['cognito:groups'].filter((g): g is string => typeof g === 'string')
    : [];
  const username = typeof claims.username === 'string' ? claims.username : undefined;
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  const kindClaim = claims['otpvault:principal_kind'];
  // Cognito client-credentials tokens carry no username: the app client itself is the caller.
  const kind = kindClaim === 'service' || (!username && clientId) ? 'service' : 'user';
  const name = username ?? clientId;
  if (!name || !NAME.test(name)) throw new TokenRejectedError('the bearer token was rejected: it names no usable principal');
  if (kind === 'service') return principal(kind, name, groups);
  // A user is the account, not the name: a re-created user has the same username and a new sub.
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sub || !SUB.test(sub)) throw new TokenRejectedError('the bearer token was rejected: it names no usable principal');
  return principal(kind, name, groups, sub);
}

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  if (config.mode === 'cognito') {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: config.userPoolId,
      // Comma-separated: the API's app client and the web console's.
      clientId: config.clientId.split(',').map((id) => id.trim()),
      tokenUse: 'access',
      includeRawJwtInErrors: true,
    });
    return { verify: (token) => verifyWith(() => verifier.verify(token)) };
  }
  const verifier = JwtVerifier.create(
    { issuer: config.issuer, audience: null, jwksUri: `file://${config.jwksFile}`, includeRawJwtInErrors: true },
    // The local issuer's keys are on disk: an unknown key id re-reads the file, never the network.
    { jwksCache: new SimpleJwksCache({ fetcher: { fetch: () => readJwksFile(config.jwksFile) } }) },
  );
  verifier.cacheJwks(JSON.parse(readFileSync(config.jwksFile, 'utf8')));
  return {
    verify: (token) =>
      verifyWith(async () => {
        const claims = await verifier.verify(token);
        if (claims.token_use !== 'access') throw new TokenRejectedError(REJECTED('an access token is required'), vouchedPrincipal(claims));
        return claims;
      }),
  };
}

async function readJwksFile(path: string): Promise<ArrayBuffer> {
  const bytes = await readFile(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const REJECTED = (why: string) => `the bearer token was rejected: ${why}`;

/**
 * Why a token was refused, from a fixed vocabulary: aws-jwt-verify's own messages can quote
 * caller-chosen values (a key id, an issuer), which must reach neither the audit log nor the caller.
 */
function rejectionReason(error: JwtBaseError): string {
  if (error instanceof JwtExpiredError) return REJECTED('it has expired');
  if (error instanceof JwtNotBeforeError) return REJECTED('it is not valid yet');
  if (error instanceof JwtInvalidIssuerError) return REJECTED('it comes from another issuer');
  if (error instanceof CognitoJwtInvalidClientIdError || error instanceof JwtInvalidAudienceError) return REJECTED('it was issued to another client');
  if (error instanceof CognitoJwtInvalidTokenUseError) return REJECTED('an access token is required');
  if (error instanceof JwtInvalidSignatureError || error instanceof JwtInvalidSignatureAlgorithmError) return REJECTED('its signature is not valid');
  if (error instanceof KidNotFoundInJwksError || error instanceof WaitPeriodNotYetEndedJwkError || error instanceof JwtWithoutValidKidError) {
    return REJECTED('it is not signed by a key of the vault’s issuer');
  }
  if (error instanceof JwtParseError) return REJECTED('it is not a well-formed JWT');
  if (error instanceof JwtInvalidClaimError) return REJECTED('one of its claims is not valid');
  return REJECTED('it could not be verified');
}

async function verifyWith(check: () => Promise<JwtPayload>): Promise<Principal> {
  let claims: JwtPayload;
  try {
    claims = await check();
  } catch (error) {
    if (error instanceof TokenRejectedError) throw error;
    // The signing keys could not be fetched (or something unexpected broke): the vault's failure, not the caller's.
    if (error instanceof FetchError || !(error instanceof JwtBaseError)) throw error;
    // aws-jwt-verify checks claims only after the signature: a claim error with the raw token is signed by the issuer.
    const vouched = error instanceof JwtInvalidClaimError && error.rawJwt ? vouchedPrincipal(error.rawJwt.payload) : undefined;
    throw new TokenRejectedError(rejectionReason(error), vouched);
  }
  // aws-jwt-verify checks exp only when present: a token without one would never expire.
  if (typeof claims.exp !== 'number') throw new TokenRejectedError(REJECTED('it has no expiry (exp)'), vouchedPrincipal(claims));
  return principalFromClaims(claims);
}

/** The principal a correctly signed token names, or undefined when it names none usable. */
function vouchedPrincipal(claims: JwtPayload): Principal | undefined {
  try {
    return principalFromClaims(claims);
  } catch {
    return undefined;
  }
}

/** Extracts the token from an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string {
  if (!header) throw new TokenRejectedError('missing Authorization header (expected "Bearer <token>")');
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  if (!match) throw new TokenRejectedError('the Authorization header must be "Bearer <token>"');
  return match[1] as string;
}
