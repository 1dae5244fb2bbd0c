import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { decodeProtectedHeader } from 'jose';
import { IssuerNotInitialisedError, InvalidTokenRequestError } from '../../../local/errors';
import { initLocalIssuer, LOCAL_ISSUER, openLocalIssuer, type LocalIssuer, type TokenRequest } from '../../../local/issuer';
import { removeTempDataDirs, tempDataDir } from './helpers';

afterAll(removeTempDataDirs);

/** A verifier that trusts exactly `issuer`'s keys and never fetches. */
function verifierFor(issuer: LocalIssuer) {
  const verifier = JwtRsaVerifier.create({ issuer: LOCAL_ISSUER, audience: null, jwksUri: 'http://127.0.0.1:9/never-fetched' });
  verifier.cacheJwks(issuer.jwks);
  return verifier;
}

describe('initLocalIssuer', () => {
  let dataDir: string;
  let issuer: LocalIssuer;

  beforeAll(async () => {
    dataDir = tempDataDir('issuer');
    issuer = await initLocalIssuer(dataDir);
  });

  it('keeps an RSA-2048 private key readable by its owner only and publishes a JWKS', () => {
    // Prepare
    const dir = join(dataDir, 'issuer');

    // Act
    const keyMode = statSync(join(dir, 'private-key.pem')).mode & 0o777;
    const jwks = JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8')) as LocalIssuer['jwks'];

    // Assess
    expect(keyMode).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(issuer.jwksFile).toBe(join(dir, 'jwks.json'));
    expect(jwks).toEqual(issuer.jwks);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: issuer.kid, alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(Buffer.from(jwks.keys[0]?.n ?? '', 'base64url')).toHaveLength(256);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs a user token that verifies and carries Cognito access-token claims', async () => {
    // Act
    const token = await issuer.signToken({ user: 'alice', groups: ['admins', 'ops'] });
    const claims = await verifierFor(issuer).verify(token);

    // Assess
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.kid, typ: 'JWT' });
    expect(claims.sub).toBe(await issuer.users.find('alice'));
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims).toMatchObject({
      username: 'alice',
      'cognito:groups': ['admins', 'ops'],
      token_use: 'access',
      client_id: 'otpvault-local',
      iss: 'urn:otpvault:local',
      'otpvault:principal_kind': 'user',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('signs a service token without groups when none are given', async () => {
    // Act
    const claims = await verifierFor(issuer).verify(await issuer.signToken({ service: 'deploy-bot', ttlSeconds: 60 }));

    // Assess
    expect(claims).toMatchObject({ sub: 'local:service:deploy-bot', username: 'deploy-bot', 'otpvault:principal_kind': 'service' });
    expect(claims).not.toHaveProperty('cognito:groups');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
  });

  it('gives every token its own jti', async () => {
    // Act
    const verifier = verifierFor(issuer);
    const first = await verifier.verify(await issuer.signToken({ user: 'alice' }));
    const second = await verifier.verify(await issuer.signToken({ user: 'alice' }));

    // Assess
    expect(first.jti).not.toBe(second.jti);
    expect(first.sub).toBe(second.sub);
  });

  it('keeps its key across restarts', async () => {
    // Act
    const reopened = await initLocalIssuer(dataDir);
    const token = await reopened.signToken({ user: 'alice' });

    // Assess
    expect(reopened.kid).toBe(issuer.kid);
    await expect(verifierFor(issuer).verify(token)).resolves.toMatchObject({ username: 'alice' });
  });

  it('rejects a token signed by another data directory\'s key', async () => {
    // Prepare
    const stranger = await initLocalIssuer(tempDataDir('stranger'));
    const forged = await stranger.signToken({ user: 'alice', groups: ['admins'] });

    // Act
    const verified = verifierFor(issuer).verify(forged);

    // Assess
    await expect(verified).rejects.toThrow();
  });

  it('rejects an expired token', async () => {
    // Prepare
    const twoHoursAgo = Math.floor(Date.now() / 1000) - 7200;
    const past = await initLocalIssuer(dataDir, { now: () => twoHoursAgo });
    const token = await past.signToken({ user: 'alice' });

    // Act
    const verified = verifierFor(issuer).verify(token);

    // Assess
    await expect(verified).rejects.toThrow(/expired/i);
  });

  it.each<[string, TokenRequest | Record<string, unknown>]>([
    ['neither principal', {}],
    ['both principals', { user: 'alice', service: 'bot' }],
    ['a name with a space', { user: 'alice smith' }],
    ['an empty name', { user: '' }],
    ['a name over 128 characters', { user: 'a'.repeat(129) }],
    ['a group with a slash', { user: 'alice', groups: ['a/b'] }],
    ['a zero lifetime', { user: 'alice', ttlSeconds: 0 }],
    ['a lifetime over a day', { user: 'alice', ttlSeconds: 86_401 }],
    ['a fractional lifetime', { user: 'alice', ttlSeconds: 1.5 }],
  ])('refuses a request with %s', async (_, request) => {
    // Act
    const signed = issuer.signToken(request as TokenRequest);

    // Assess
    await expect(signed).rejects.toThrow(InvalidTokenRequestError);
  });
});

describe('openLocalIssuer', () => {
  it('says to run npm start when the data directory has no issuer yet', async () => {
    // Prepare
    const dataDir = tempDataDir('empty');

    // Act
    const opened = openLocalIssuer(dataDir);

    // Assess
    await expect(opened).rejects.toThrow(IssuerNotInitialisedError);
    await expect(opened).rejects.toThrow(/Run `npm start` once/);
  });

  it('signs with the key npm start created', async () => {
    // Prepare
    const dataDir = tempDataDir('opened');
    const created = await initLocalIssuer(dataDir);

    // Act
    const opened = await openLocalIssuer(dataDir);
    const token = await opened.signToken({ user: 'bob' });

    // Assess
    await expect(verifierFor(created).verify(token)).resolves.toMatchObject({ username: 'bob' });
  });
});
