import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { lambdaAuthorizer, type AuthorizerHandler } from '../../../shared/auth/lambdaAuthorizer';
import type { AuditEvent } from '../../../shared/audit/event';
import type { AuditOutbox } from '../../../shared/audit/AuditOutbox';
import { OPEN_ORIGIN_GATE } from '../../../shared/auth/originGate';
import { TokenAuthorizer } from '../../../shared/auth/TokenAuthorizer';
import { createTokenVerifier } from '../../../shared/auth/tokenVerifier';
import { ENV } from '../../../shared/config/vaultConfig';
import { createLogger } from '../../../shared/log/logger';
import { EVENTS_TABLE, VAULT_TABLE } from '../../../shared/store/tables';
import { initLocalIssuer, LOCAL_CLIENT_ID, LOCAL_ISSUER, openLocalIssuer, type LocalIssuer } from '../../../local/issuer';
import { authorizerEvent } from '../../helpers/apiGatewayEvents';

/**
 * The people authorizer, on payload 2.0 authorizer events shaped like the developer guide's, with
 * tokens of a real local issuer (the same verifier code as with Cognito, other keys) and an
 * in-memory audit outbox.
 */

const NOW = Date.parse('2025-06-02T10:00:00Z');

class MemoryOutbox implements AuditOutbox {
  readonly events: AuditEvent[] = [];
  failing = false;
  async write(event: AuditEvent): Promise<void> {
    if (this.failing) throw new Error('DynamoDB is down');
    this.events.push(event);
  }
  transactItem(): never {
    throw new Error('the authorizer never writes in a transaction');
  }
}

let dataDir: string;
let issuer: LocalIssuer;
let outbox: MemoryOutbox;
let logLines: string[];
let handler: AuthorizerHandler;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'otpvault-authorizer-'));
  issuer = await initLocalIssuer(dataDir);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeEach(() => {
  outbox = new MemoryOutbox();
  logLines = [];
  const verifier = createTokenVerifier({ mode: 'local', issuer: issuer.issuer, jwksFile: issuer.jwksFile });
  const log = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  handler = lambdaAuthorizer(() => ({ origin: OPEN_ORIGIN_GATE, tokens: new TokenAuthorizer(verifier, outbox, { now: () => NOW, sleep: async () => undefined }, log) }));
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'user-agent': 'otpvault-cli/1.0' });

/** A token signed with the issuer's own key, with any claims (what the issuer's API would not sign). */
async function signedByIssuer(claims: Record<string, unknown>): Promise<string> {
  const key = await importPKCS8(readFileSync(join(dataDir, 'issuer', 'private-key.pem'), 'utf8'), 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: issuer.kid }).setIssuer(LOCAL_ISSUER).setIssuedAt().setExpirationTime('1h').sign(key);
}

async function foreignToken(iss: string, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ username: 'mallory', 'cognito:groups': ['admins'], token_use: 'access', client_id: LOCAL_CLIENT_ID })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(iss)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

describe('the people authorizer', () => {
  it('lets a user in with its principal, kind, name and groups as string context values', async () => {
    // Prepare
    const token = await issuer.signToken({ user: 'alice', groups: ['ops', 'admins'] });

    // Act
    const result = await handler(authorizerEvent(bearer(token)));

    // Assess
    expect(result).toEqual({
      isAuthorized: true,
      context: { principal: 'user:alice', kind: 'user', name: 'alice', groups: '["admins","ops"]', sub: await issuer.users.find('alice') },
    });
    expect(outbox.events).toEqual([]);
  });

  it('lets a service in as a service principal', async () => {
    // Prepare
    const token = await issuer.signToken({ service: 'deploy-bot', groups: ['ci'] });

    // Act
    const result = await handler(authorizerEvent(bearer(token)));

    // Assess
    expect(result).toEqual({
      isAuthorized: true,
      context: { principal: 'service:deploy-bot', kind: 'service', name: 'deploy-bot', groups: '["ci"]' },
    });
  });

  it('refuses an expired token and audits it against the principal its valid signature vouches for', async () => {
    // Prepare
    const past = await openLocalIssuer(dataDir, { now: () => Math.floor(Date.now() / 1000) - 7200 });
    const token = await past.signToken({ user: 'alice', groups: ['admins'], ttlSeconds: 60 });
    const event = authorizerEvent(bearer(token), 'GET /v1/secrets/{secretId}');

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toEqual({ isAuthorized: false, context: { reason: 'the bearer token was rejected: it has expired' } });
    expect(outbox.events).toEqual([
      expect.objectContaining({
        actor: { principal: 'user:alice', kind: 'user', groups: ['admins'], sub: await issuer.users.find('alice') },
        action: 'authenticate',
        operation: 'authenticate',
        result: 'denied',
        status: 403,
        reason: 'the bearer token was rejected: it has expired',
        requestId: event.requestContext.requestId,
        source: { ip: '192.0.2.1', userAgent: 'otpvault-cli/1.0' },
        details: { routeKey: 'GET /v1/secrets/{secretId}' },
        time: new Date(NOW).toISOString(),
      }),
    ]);
  });

  it('refuses a token of the right issuer signed by another key, and audits it as anonymous', async () => {
    // Act
    const result = await handler(authorizerEvent(bearer(await foreignToken(LOCAL_ISSUER, 'forged'))));

    // Assess
    expect(result).toEqual({ isAuthorized: false, context: { reason: 'the bearer token was rejected: it is not signed by a key of the vault’s issuer' } });
    expect(outbox.events.map((e) => e.actor)).toEqual([{ principal: 'anonymous', kind: 'anonymous', groups: [] }]);
    expect(JSON.stringify(outbox.events)).not.toContain('mallory');
  });

  it('refuses a token from another issuer without quoting the issuer or key id it names', async () => {
    // Act
    const result = await handler(authorizerEvent(bearer(await foreignToken('https://issuer.elsewhere.example', 'elsewhere-kid'))));

    // Assess
    expect(result.isAuthorized).toBe(false);
    const recorded = JSON.stringify([result, outbox.events]);
    expect(recorded).not.toContain('elsewhere');
    expect(recorded).not.toContain('mallory');
  });

  it('refuses a tampered token and records nothing it claims', async () => {
    // Prepare
    const [header, payload, signature] = (await issuer.signToken({ user: 'olga', groups: ['ops'] })).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<string, unknown>;
    claims.username = 'mallory';
    claims['cognito:groups'] = ['admins'];
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');

    // Act
    const result = await handler(authorizerEvent(bearer(tampered)));

    // Assess
    expect(result).toEqual({ isAuthorized: false, context: { reason: 'the bearer token was rejected: its signature is not valid' } });
    expect(outbox.events.map((e) => e.actor.principal)).toEqual(['anonymous']);
    expect(JSON.stringify(outbox.events)).not.toContain('mallory');
  });

  it('refuses a token that is not an access token, vouched for by its signature', async () => {
    // Prepare
    const idToken = await signedByIssuer({ sub: 'id-token-sub', username: 'alice', token_use: 'id', client_id: LOCAL_CLIENT_ID });

    // Act
    const result = await handler(authorizerEvent(bearer(idToken)));

    // Assess
    expect(result).toEqual({ isAuthorized: false, context: { reason: 'the bearer token was rejected: an access token is required' } });
    expect(outbox.events.map((e) => e.actor.principal)).toEqual(['user:alice']);
  });

  it.each([
    ['no Authorization header', {}, /missing Authorization header/],
    ['a Basic Authorization header', { authorization: 'Basic YWxpY2U6cHc=' }, /must be "Bearer <token>"/],
    ['a bearer value that is not a JWT', { authorization: 'Bearer abc.def.ghi' }, /not a well-formed JWT/],
  ])('refuses a request with %s and audits it', async (_case, headers, reason) => {
    // Act
    const result = await handler(authorizerEvent(headers));

    // Assess
    expect(result.isAuthorized).toBe(false);
    expect((result.context as { reason: string }).reason).toMatch(reason);
    expect(outbox.events).toHaveLength(1);
    expect(outbox.events[0]).toMatchObject({ result: 'denied', status: 403, actor: { principal: 'anonymous' } });
  });

  it('still refuses when the audit outbox cannot be written, and logs the failure', async () => {
    // Prepare
    outbox.failing = true;

    // Act
    const result = await handler(authorizerEvent({ authorization: 'Bearer abc.def.ghi' }));

    // Assess
    expect(result.isAuthorized).toBe(false);
    expect(logLines.some((line) => line.includes('"level":"error"') && line.includes('audit write failed'))).toBe(true);
  });

  it('never logs the token', async () => {
    // Prepare
    const past = await openLocalIssuer(dataDir, { now: () => Math.floor(Date.now() / 1000) - 7200 });
    const token = await past.signToken({ user: 'alice', ttlSeconds: 60 });

    // Act
    await handler(authorizerEvent(bearer(token)));

    // Assess
    expect(logLines.join('\n')).not.toContain(token.split('.')[2]);
  });

  it('fails (API Gateway answers 500) rather than refusing when the issuer’s keys cannot be read', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'otpvault-authorizer-gone-'));
    const gone = await initLocalIssuer(dir);
    const verifier = createTokenVerifier({ mode: 'local', issuer: gone.issuer, jwksFile: gone.jwksFile });
    rmSync(dir, { recursive: true, force: true });
    const broken = lambdaAuthorizer(() => ({
      origin: OPEN_ORIGIN_GATE,
      tokens: new TokenAuthorizer(verifier, outbox, { now: () => NOW, sleep: async () => undefined }, createLogger({ write: () => undefined })),
    }));

    // Act
    const answer = broken(authorizerEvent(bearer(await foreignToken(LOCAL_ISSUER, 'unknown-kid'))));

    // Assess
    await expect(answer).rejects.toThrow(/ENOENT/);
    expect(outbox.events).toEqual([]);
  });
});

describe('lambdas/authorizer/handler.ts', () => {
  it('reads its configuration from the environment and lets a valid token in', async () => {
    // Prepare
    const env = {
      [ENV.authMode]: 'local',
      [ENV.localIssuer]: issuer.issuer,
      [ENV.localJwksFile]: issuer.jwksFile,
      [EVENTS_TABLE.envVar]: EVENTS_TABLE.localName,
      // Where repeated refusals are counted (refusal windows).
      [VAULT_TABLE.envVar]: VAULT_TABLE.localName,
      [ENV.region]: 'us-east-1',
      [ENV.logLevel]: 'error',
      // No CloudFront in front, as in the local runner.
      [ENV.originCheck]: 'off',
    };
    const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    try {
      const { handler: deployed } = await import('../../../lambdas/authorizer/handler');
      const token = await issuer.signToken({ user: 'alice' });

      // Act
      const result = await deployed(authorizerEvent(bearer(token)));

      // Assess
      expect(result).toEqual({ isAuthorized: true, context: { principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]', sub: await issuer.users.find('alice') } });
    } finally {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
