import type { AuditEvent } from '../../../shared/audit/event';
import type { AuditOutbox } from '../../../shared/audit/AuditOutbox';
import { lambdaAuthorizer, NOT_THROUGH_CLOUDFRONT, type AuthorizerHandler } from '../../../shared/auth/lambdaAuthorizer';
import { OPEN_ORIGIN_GATE, ORIGIN_VERIFY_HEADER, secretOriginGate, VIEWER_IP_HEADER } from '../../../shared/auth/originGate';
import { originGateFromConfig } from '../../../shared/auth/originGateFromConfig';
import { principal, type Principal } from '../../../shared/auth/principal';
import { TokenAuthorizer } from '../../../shared/auth/TokenAuthorizer';
import { TokenRejectedError, type TokenVerifier } from '../../../shared/auth/tokenVerifier';
import { loadAuthorizerConfig } from '../../../shared/config/authorizerConfig';
import { ENV } from '../../../shared/config/vaultConfig';
import { createLogger } from '../../../shared/log/logger';
import { EVENTS_TABLE, VAULT_TABLE } from '../../../shared/store/tables';
import { authorizerEvent } from '../../helpers/apiGatewayEvents';

/**
 * The people authorizer's origin gate: a request that did not come through CloudFront (where the WAF
 * web ACL applies) is refused before its token is read, and leaves no audit event.
 */

const SECRET = 'k3Jx9QvTn2Lw8ZpR4sYc6HbM1dFgAeUo';
const NOW = Date.parse('2025-06-02T10:00:00Z');
const VIEWER_IP = '198.51.100.23';
const ALICE: Principal = principal('user', 'alice', [], 'sub-alice');

class MemoryOutbox implements AuditOutbox {
  readonly events: AuditEvent[] = [];
  async write(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
  transactItem(): never {
    throw new Error('the authorizer never writes in a transaction');
  }
}

/** Accepts `Bearer good`, rejects anything else; counts what it was asked. */
class CountingVerifier implements TokenVerifier {
  calls = 0;
  async verify(token: string): Promise<Principal> {
    this.calls += 1;
    if (token === 'good') return ALICE;
    throw new TokenRejectedError('the bearer token was rejected: its signature does not verify');
  }
}

let outbox: MemoryOutbox;
let verifier: CountingVerifier;
let logLines: string[];
let secretReads: number;
let refusals: number;
let handler: AuthorizerHandler;

beforeEach(() => {
  outbox = new MemoryOutbox();
  verifier = new CountingVerifier();
  logLines = [];
  secretReads = 0;
  refusals = 0;
  const log = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  const readSecret = async () => {
    secretReads += 1;
    return SECRET;
  };
  handler = lambdaAuthorizer(() => ({
    origin: secretOriginGate(readSecret, log, () => (refusals += 1)),
    tokens: new TokenAuthorizer(verifier, outbox, { now: () => NOW, sleep: async () => undefined }, log),
  }));
});

const request = (token: string, origin?: string) => ({
  authorization: `Bearer ${token}`,
  'user-agent': 'curl/8.0',
  ...(origin === undefined ? {} : { [ORIGIN_VERIFY_HEADER]: origin }),
});

describe('the origin gate of the people authorizer', () => {
  it('refuses a request without the origin header before reading its token, writes no audit event, counts it and warns', async () => {
    // Act
    const result = await handler(authorizerEvent(request('bad')));

    // Assess
    expect(result).toEqual({ isAuthorized: false, context: { reason: NOT_THROUGH_CLOUDFRONT } });
    expect(verifier.calls).toBe(0);
    expect(outbox.events).toEqual([]);
    expect(refusals).toBe(1);
    const warnings = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ header: 'missing', routeKey: 'GET /v1/me', sourceIp: expect.any(String) })]);
  });

  it('refuses a wrong header the same way, also one of another length, and never logs what was sent', async () => {
    // Act
    const wrong = await handler(authorizerEvent(request('good', SECRET.replace(/.$/, 'x'))));
    const shorter = await handler(authorizerEvent(request('good', SECRET.slice(0, 8))));

    // Assess
    expect([wrong, shorter]).toEqual([
      { isAuthorized: false, context: { reason: NOT_THROUGH_CLOUDFRONT } },
      { isAuthorized: false, context: { reason: NOT_THROUGH_CLOUDFRONT } },
    ]);
    expect(verifier.calls).toBe(0);
    expect(outbox.events).toEqual([]);
    expect(refusals).toBe(2);
    expect(logLines.join('\n')).not.toContain(SECRET.slice(0, 8));
  });

  it('lets a request with the right header on to the token check', async () => {
    // Act
    const result = await handler(authorizerEvent(request('good', SECRET)));

    // Assess
    expect(result).toEqual({ isAuthorized: true, context: expect.objectContaining({ principal: 'user:alice' }) });
    expect(refusals).toBe(0);
  });

  it('still audits a bad token that came through CloudFront, with the viewer\'s address rather than CloudFront\'s', async () => {
    // Prepare
    const event = authorizerEvent({ ...request('bad', SECRET), [VIEWER_IP_HEADER]: VIEWER_IP });

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toEqual({ isAuthorized: false, context: { reason: 'the bearer token was rejected: its signature does not verify' } });
    expect(outbox.events).toEqual([expect.objectContaining({ action: 'authenticate', result: 'denied', source: expect.objectContaining({ ip: VIEWER_IP }) })]);
    expect(event.requestContext.http.sourceIp).not.toBe(VIEWER_IP);
  });

  it('passes the viewer\'s address on to the route function once the origin header proved CloudFront sent it', async () => {
    // Act
    const result = await handler(authorizerEvent({ ...request('good', SECRET), [VIEWER_IP_HEADER]: VIEWER_IP }));

    // Assess
    expect(result).toEqual({ isAuthorized: true, context: expect.objectContaining({ principal: 'user:alice', sourceIp: VIEWER_IP }) });
  });

  it('ignores a viewer address header where no CloudFront stands in front (anyone could send it)', async () => {
    // Prepare
    const open = lambdaAuthorizer(() => ({
      origin: OPEN_ORIGIN_GATE,
      tokens: new TokenAuthorizer(verifier, outbox, { now: () => NOW, sleep: async () => undefined }, createLogger({ write: () => undefined })),
    }));

    // Act
    const result = await open(authorizerEvent({ ...request('good'), [VIEWER_IP_HEADER]: VIEWER_IP }));

    // Assess
    expect(result.isAuthorized).toBe(true);
    expect(result.context).not.toHaveProperty('sourceIp');
  });

  it('reads the secret once per cold start, not per request', async () => {
    // Act
    for (const origin of [SECRET, undefined, 'wrong', SECRET]) await handler(authorizerEvent(request('good', origin)));

    // Assess
    expect(secretReads).toBe(1);
  });

  it('fails (API Gateway answers 500, nobody is let in) when the secret cannot be read, and tries again on the next request', async () => {
    // Prepare
    let attempts = 0;
    const flaky = lambdaAuthorizer(() => ({
      origin: secretOriginGate(async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('AccessDeniedException');
        return SECRET;
      }, createLogger({ write: () => undefined })),
      tokens: new TokenAuthorizer(verifier, outbox, { now: () => NOW, sleep: async () => undefined }, createLogger({ write: () => undefined })),
    }));

    // Act
    const first = flaky(authorizerEvent(request('good', SECRET)));
    await expect(first).rejects.toThrow('AccessDeniedException');
    const second = await flaky(authorizerEvent(request('good', SECRET)));

    // Assess
    expect(second.isAuthorized).toBe(true);
    expect(attempts).toBe(2);
    expect(outbox.events).toEqual([]);
  });
});

describe('the origin check in the configuration', () => {
  const base = {
    [ENV.authMode]: 'local',
    [ENV.localIssuer]: 'urn:otpvault:local',
    [ENV.localJwksFile]: '/nonexistent/jwks.json',
    [EVENTS_TABLE.envVar]: 'events',
    [VAULT_TABLE.envVar]: 'vault',
  };

  it('is required by default and then needs the secret ARN (nothing is left open by omission)', () => {
    // Act
    const load = () => loadAuthorizerConfig(base);
    const withArn = loadAuthorizerConfig({ ...base, [ENV.originSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-AbCdEf' });

    // Assess
    expect(load).toThrow(ENV.originSecretArn);
    expect(withArn.originCheck).toEqual({ mode: 'secret', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-AbCdEf' });
  });

  it('is off only when asked (the local runner), and then admits a request without the header', async () => {
    // Prepare
    const config = loadAuthorizerConfig({ ...base, [ENV.originCheck]: 'off' });

    // Act
    const admitted = await originGateFromConfig(config).admits(undefined, { requestId: 'r', routeKey: 'GET /v1/me', sourceIp: '127.0.0.1' });

    // Assess
    expect(config.originCheck).toEqual({ mode: 'off' });
    expect(admitted).toBe(true);
  });

  it('refuses a mode it does not know', () => {
    // Assess
    expect(() => loadAuthorizerConfig({ ...base, [ENV.originCheck]: 'none' })).toThrow(ENV.originCheck);
  });
});
