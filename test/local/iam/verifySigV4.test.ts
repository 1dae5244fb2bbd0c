import type { OutgoingRequest } from '../../../shared/client/client';
import { sigv4Auth, type AwsCredentials } from '../../../shared/client/sigv4';
import type { LocalRoleCredentials } from '../../../local/iam/credentials';
import { SigV4Verifier, type ArrivedRequest } from '../../../local/iam/verifySigV4';

const ROLE: LocalRoleCredentials = {
  role: 'ci',
  accessKeyId: 'ASIAEXAMPLEKEY0001',
  secretAccessKey: 'local-secret-access-key-0000000000000000',
  sessionToken: 'session-token-of-the-ci-role',
};
const SIGNED_AT = Date.parse('2026-11-30T12:00:00Z');
const REGION = 'us-east-1';

/** Signs a request as the client does, then hands it over as the server receives it. */
async function signed(
  request: { method: string; url: string; body?: string; headers?: Record<string, string> },
  options: { credentials?: AwsCredentials; at?: number } = {},
): Promise<ArrivedRequest> {
  const url = new URL(request.url);
  const outgoing: OutgoingRequest = { method: request.method, url, headers: { ...request.headers }, ...(request.body !== undefined ? { body: request.body } : {}) };
  const authenticate = sigv4Auth({ credentials: options.credentials ?? ROLE, region: REGION, now: () => new Date(options.at ?? SIGNED_AT) });
  const headers = await authenticate(outgoing);
  const arrived: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(headers)) arrived[name.toLowerCase()] = value;
  return {
    method: request.method,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers: arrived,
    body: Buffer.from(request.body ?? ''),
  };
}

function verifier(now = SIGNED_AT + 1000): SigV4Verifier {
  return new SigV4Verifier({ lookup: async (key) => (key === ROLE.accessKeyId ? ROLE : undefined), region: REGION, now: () => now });
}

describe('SigV4 verification on the local IAM API', () => {
  it('accepts a GET with a query string (repeated names, spaces, reserved characters)', async () => {
    // Prepare
    const request = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/audit?actor=user%3Aalice&path=%2Fa%20b&action=otp:generate&x=1&x=2' });

    // Act
    const check = await verifier().verify(request);

    // Assess
    expect(check).toEqual({ ok: true, credentials: ROLE });
  });

  it('accepts a POST with a JSON body, and refuses the same signature over a changed body', async () => {
    // Prepare
    const request = await signed({ method: 'POST', url: 'http://127.0.0.1:8788/v1/secrets/sec-12345678/otp', body: '{"minValidSeconds":5}', headers: { 'content-type': 'application/json' } });
    const changed = { ...request, body: Buffer.from('{"minValidSeconds":6}') };

    // Act
    const accepted = await verifier().verify(request);
    const refused = await verifier().verify(changed);

    // Assess
    expect(accepted.ok).toBe(true);
    expect(refused).toEqual({ ok: false, reason: expect.stringMatching(/signature does not match/) });
  });

  it('signs the session token, and refuses a request without it or with another one', async () => {
    // Prepare
    const request = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' });
    const { 'x-amz-security-token': token, ...withoutToken } = request.headers;
    const otherToken = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' }, { credentials: { ...ROLE, sessionToken: 'another-token' } });

    // Act
    const missing = await verifier().verify({ ...request, headers: withoutToken });
    const other = await verifier().verify(otherToken);

    // Assess
    expect(token).toBe(ROLE.sessionToken);
    expect(request.headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
    expect(missing).toEqual({ ok: false, reason: expect.stringMatching(/missing session token/) });
    expect(other).toEqual({ ok: false, reason: expect.stringMatching(/signature does not match/) });
  });

  it('refuses a signature made with the wrong secret key, naming nobody', async () => {
    // Prepare
    const request = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' }, { credentials: { ...ROLE, secretAccessKey: 'guessed-secret' } });

    // Act
    const check = await verifier().verify(request);

    // Assess
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/signature does not match/) });
  });

  it('refuses a signature older or newer than 5 minutes, naming its (valid) signer', async () => {
    // Prepare
    const old = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' }, { at: SIGNED_AT - 5 * 60_000 - 1000 });
    const future = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' }, { at: SIGNED_AT + 6 * 60_000 });
    const edge = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' }, { at: SIGNED_AT - 5 * 60_000 });

    // Act
    const checks = await Promise.all([old, future, edge].map((r) => verifier(SIGNED_AT).verify(r)));

    // Assess
    expect(checks[0]).toEqual({ ok: false, credentials: ROLE, reason: expect.stringMatching(/expired or not yet valid.*more than 5 minutes/) });
    expect(checks[1]).toMatchObject({ ok: false, credentials: ROLE });
    expect(checks[2]).toEqual({ ok: true, credentials: ROLE });
  });

  it('refuses a replayed request (the same signature twice)', async () => {
    // Prepare
    const request = await signed({ method: 'POST', url: 'http://127.0.0.1:8788/v1/secrets/sec-12345678/otp' });
    const once = verifier();

    // Act
    const first = await once.verify(request);
    const again = await once.verify(request);

    // Assess
    expect(first.ok).toBe(true);
    expect(again).toEqual({ ok: false, credentials: ROLE, reason: expect.stringMatching(/replayed/) });
  });

  it('refuses an unknown access key, a foreign scope, a missing date and an unsigned request', async () => {
    // Prepare
    const unknown = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' }, { credentials: { ...ROLE, accessKeyId: 'ASIAUNKNOWN0000000' } });
    const request = await signed({ method: 'GET', url: 'http://127.0.0.1:8788/v1/me' });
    const foreign = { ...request, headers: { ...request.headers, authorization: request.headers.authorization!.replace('/us-east-1/', '/eu-west-1/') } };
    const { 'x-amz-date': _date, ...undated } = request.headers;
    const { authorization: _auth, ...unsigned } = request.headers;

    // Act
    const [a, b, c, d] = await Promise.all([unknown, foreign, { ...request, headers: undated }, { ...request, headers: unsigned }].map((r) => verifier().verify(r)));

    // Assess
    expect(a).toEqual({ ok: false, reason: 'unknown access key id ASIAUNKNOWN0000000' });
    expect(b).toEqual({ ok: false, reason: expect.stringMatching(/credential scope must be us-east-1\/execute-api/) });
    expect(c).toEqual({ ok: false, reason: expect.stringMatching(/X-Amz-Date/) });
    expect(d).toEqual({ ok: false, reason: expect.stringMatching(/missing Authorization header/) });
  });
});
