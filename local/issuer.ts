/**
 * The local token issuer: stands in for Cognito. It signs RS256 access tokens shaped like
 * Cognito's with a key kept in `<dataDir>/issuer/`, and publishes the public half as a JWKS file
 * that the Lambdas (auth mode `local`) verify against.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose';
import { LocalUserRegistry } from '../shared/users/LocalUserRegistry';
import { InvalidTokenRequestError, IssuerNotInitialisedError } from './errors';

/** The `iss` of every local token. */
export const LOCAL_ISSUER = 'urn:otpvault:local';
/** The `client_id` of every local token, like a Cognito app client id. */
export const LOCAL_CLIENT_ID = 'otpvault-local';

const DEFAULTS = {
  ttlSeconds: 3600,
  /** Cognito access tokens live at most one day. */
  maxTtlSeconds: 86_400,
} as const;

/** Principal and group names: what Cognito usernames and app client names allow, kept simple. */
const NAME = /^[A-Za-z0-9._@-]{1,128}$/;

const FILES = {
  privateKey: 'private-key.pem',
  jwks: 'jwks.json',
} as const;

export type PrincipalKind = 'user' | 'service';

/** Who the token is for: exactly one of `user` and `service`. */
export type TokenPrincipal = { user: string; service?: never } | { service: string; user?: never };

export type TokenRequest = TokenPrincipal & {
  /** Cognito groups, in `cognito:groups`; the claim is left out when there are none. */
  groups?: readonly string[];
  /** Lifetime in seconds, 1 to 86400. @default 3600 */
  ttlSeconds?: number;
};

/** The claims of a local token: a Cognito access token's, plus `otpvault:principal_kind`. */
export interface LocalTokenClaims {
  /**
   * A user's is the sub of its account in the user registry (`<dataDir>/issuer/users/`), random and
   * kept until the user is re-created; a service's is stable, `local:service:deploy-bot`.
   */
  sub: string;
  username: string;
  'cognito:groups'?: string[];
  token_use: 'access';
  client_id: string;
  iss: string;
  iat: number;
  exp: number;
  jti: string;
  'otpvault:principal_kind': PrincipalKind;
}

/** A public RSA signing key as published in the JWKS (a type, not an interface, so it is a JSON object to JWT libraries). */
export type PublicSigningKey = {
  kty: 'RSA';
  /** Modulus, base64url. */
  n: string;
  /** Public exponent, base64url. */
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
};

export type JsonWebKeySet = {
  keys: PublicSigningKey[];
};

export interface LocalIssuer {
  /** `urn:otpvault:local`. */
  issuer: string;
  /** Absolute path of `jwks.json`, for `OTPVAULT_LOCAL_JWKS_FILE`. */
  jwksFile: string;
  jwks: JsonWebKeySet;
  /** Key id: the RFC 7638 thumbprint of the public key. */
  kid: string;
  /**
   * Signs an access token.
   *
   * @param request - The principal, its groups and the lifetime.
   * @throws InvalidTokenRequestError for a bad name, both or neither principal, or a bad lifetime.
   * @example
   * const token = await issuer.signToken({ user: 'alice', groups: ['admins'] });
   */
  signToken(request: TokenRequest): Promise<string>;
  /** The accounts behind usernames (what Cognito's user pool holds): tokens carry their subs. */
  users: LocalUserRegistry;
}

export interface IssuerOptions {
  /** Seconds since the epoch; injected so tests can fix the clock. @default Date.now */
  now?: () => number;
}

/**
 * Opens the issuer of a data directory, creating its key pair on first use (RSA-2048; private key
 * file mode 0600, folder 0700). The JWKS file is rewritten from the private key when it is missing
 * or stale, so the key is the single source of truth.
 *
 * @param dataDir - Root of the local data; the issuer lives in `<dataDir>/issuer/`.
 * @param options - Clock.
 * @example
 * const issuer = await initLocalIssuer('.otpvault');
 */
export async function initLocalIssuer(dataDir: string, options: IssuerOptions = {}): Promise<LocalIssuer> {
  const dir = issuerDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  let privateKey = await readPrivateKey(dir);
  if (!privateKey) {
    const generated = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await writeAtomically(join(dir, FILES.privateKey), generated.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600, {
      replace: false,
    });
    // Another process may have won the race: whatever is on disk now is the key.
    privateKey = (await readPrivateKey(dir)) ?? generated;
  }
  const issuer = await issuerFor(dir, privateKey, options);
  const onDisk = await readFile(issuer.jwksFile, 'utf8').catch(() => '');
  const wanted = `${JSON.stringify(issuer.jwks, null, 2)}\n`;
  if (onDisk !== wanted) await writeAtomically(issuer.jwksFile, wanted, 0o644);
  return issuer;
}

/**
 * Opens an issuer that `npm start` has already created; never creates one.
 *
 * @param dataDir - Root of the local data.
 * @param options - Clock.
 * @throws IssuerNotInitialisedError when there is no key yet.
 * @example
 * const token = await (await openLocalIssuer('.otpvault')).signToken({ user: 'alice' });
 */
export async function openLocalIssuer(dataDir: string, options: IssuerOptions = {}): Promise<LocalIssuer> {
  const dir = issuerDir(dataDir);
  const privateKey = await readPrivateKey(dir);
  if (!privateKey) throw new IssuerNotInitialisedError(dir);
  return issuerFor(dir, privateKey, options);
}

/** `<dataDir>/issuer`, absolute. */
export function issuerDir(dataDir: string): string {
  return resolve(dataDir, 'issuer');
}

async function readPrivateKey(dir: string): Promise<KeyObject | undefined> {
  let pem: string;
  try {
    pem = await readFile(join(dir, FILES.privateKey), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${join(dir, FILES.privateKey)} is not an RSA private key`);
  return key;
}

async function issuerFor(dir: string, privateKey: KeyObject, options: IssuerOptions): Promise<LocalIssuer> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const { n, e } = await exportJWK(createPublicKey(privateKey));
  if (!n || !e) throw new Error('the issuer key is not an RSA key');
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n, e });
  const jwks: JsonWebKeySet = { keys: [{ kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' }] };
  const users = new LocalUserRegistry(join(dir, 'users'));
  return {
    issuer: LOCAL_ISSUER,
    jwksFile: join(dir, FILES.jwks),
    jwks,
    kid,
    users,
    signToken: async (request) => {
      // Validated before a user is enrolled: a bad name never reaches the registry.
      tokenClaims(request, now());
      const sub = request.user !== undefined ? await users.enrol(request.user) : undefined;
      const claims = tokenClaims(request, now(), sub);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(privateKey);
    },
  };
}

/**
 * The claims for a request at time `iat`, after validating it.
 *
 * @param request - Principal, groups and lifetime.
 * @param iat - Issue time in epoch seconds.
 * @param sub - A user's account id (from the user registry); `local:<kind>:<name>` when not given.
 */
export function tokenClaims(request: TokenRequest, iat: number, sub?: string): LocalTokenClaims {
  const kind = principalKind(request);
  const name = (kind === 'user' ? request.user : request.service) as string;
  checkName(kind, name);
  const groups = [...new Set(request.groups ?? [])];
  for (const group of groups) checkName('group', group);
  const ttl = request.ttlSeconds ?? DEFAULTS.ttlSeconds;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > DEFAULTS.maxTtlSeconds) {
    throw new InvalidTokenRequestError(`the lifetime must be a whole number of seconds from 1 to ${DEFAULTS.maxTtlSeconds}, got ${ttl}`);
  }
  return {
    sub: sub ?? `local:${kind}:${name}`,
    username: name,
    ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
    token_use: 'access',
    client_id: LOCAL_CLIENT_ID,
    iss: LOCAL_ISSUER,
    iat,
    exp: iat + ttl,
    jti: randomUUID(),
    'otpvault:principal_kind': kind,
  };
}

function principalKind(request: TokenRequest): PrincipalKind {
  const hasUser = request.user !== undefined;
  const hasService = request.service !== undefined;
  if (hasUser === hasService) throw new InvalidTokenRequestError('name exactly one principal: a user or a service');
  return hasUser ? 'user' : 'service';
}

function checkName(what: string, name: string): void {
  if (!NAME.test(name)) {
    throw new InvalidTokenRequestError(`${what} name "${name}" is not valid: use 1 to 128 of A-Z a-z 0-9 . _ @ -`);
  }
}

/**
 * Writes through a temporary file, so readers never see half a file. With `replace: false` an
 * existing file wins (hard link, which refuses to overwrite), so two first starts agree on one key.
 */
async function writeAtomically(path: string, content: string, mode: number, { replace = true } = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode, flag: 'wx' });
  try {
    // The umask may have narrowed the mode: set it exactly.
    await chmod(temporary, mode);
    if (replace) {
      await rename(temporary, path);
      return;
    }
    await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(temporary, { force: true });
  }
}
