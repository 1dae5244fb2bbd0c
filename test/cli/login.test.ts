import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../../scripts/build-cli.mjs';

/**
 * `otpvault login|logout` and the silent refresh, as a subprocess, against a tiny local double of
 * Cognito speaking InitiateAuth's JSON protocol (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, challenges).
 * The same server answers GET /v1/me with the bearer token it received, standing in for the API.
 */

const CLIENT_ID = 'test-client';
const PASSWORD = 'correct horse battery ';

interface Seen {
  target?: string;
  contentType?: string;
  body: { AuthFlow?: string; ClientId?: string; AuthParameters?: Record<string, string>; ChallengeName?: string; Session?: string; ChallengeResponses?: Record<string, string> };
}

let server: Server;
let url: string;
let work: string;
/** The CLI as `npm run build:cli` bundles it (what the `otpvault` bin runs when built). */
let cli: string;
let bundleDir: string | undefined;
const seen: Seen[] = [];
const bearers: string[] = [];

function jwt(name: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ token_use: name })}.c2ln`;
}

function fail(status: number, type: string, message: string): { status: number; body: unknown } {
  return { status, body: { __type: type, message } };
}

function cognito(request: Seen): { status: number; body: unknown } {
  if (request.contentType !== 'application/x-amz-json-1.1') return fail(400, 'SerializationException', 'bad content type');
  if (request.target === 'AWSCognitoIdentityProviderService.RespondToAuthChallenge') {
    const { ChallengeName, ClientId, Session, ChallengeResponses = {} } = request.body;
    if (ClientId !== CLIENT_ID || ChallengeName !== 'SOFTWARE_TOKEN_MFA' || Session !== 'mfa-session-carol' || ChallengeResponses.USERNAME !== 'carol') {
      return fail(400, 'NotAuthorizedException', 'Invalid session for the user.');
    }
    if (ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE !== '246810') return fail(400, 'CodeMismatchException', 'Invalid code received for user');
    return { status: 200, body: { AuthenticationResult: { AccessToken: jwt('access-mfa'), IdToken: jwt('id-mfa'), RefreshToken: 'refresh-mfa', ExpiresIn: 1800, TokenType: 'Bearer' }, ChallengeParameters: {} } };
  }
  if (request.target !== 'AWSCognitoIdentityProviderService.InitiateAuth') return fail(400, 'UnknownOperationException', 'unknown operation');
  const { AuthFlow, ClientId, AuthParameters = {} } = request.body;
  if (ClientId !== CLIENT_ID) return fail(400, 'ResourceNotFoundException', 'User pool client does not exist.');
  if (AuthFlow === 'USER_PASSWORD_AUTH') {
    if (AuthParameters.USERNAME === 'newbie') return { status: 200, body: { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's', ChallengeParameters: {} } };
    if (AuthParameters.USERNAME === 'carol') {
      if (AuthParameters.PASSWORD !== PASSWORD) return fail(400, 'NotAuthorizedException', 'Incorrect username or password.');
      return { status: 200, body: { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'mfa-session-carol', ChallengeParameters: {} } };
    }
    if (AuthParameters.USERNAME !== 'alice' || AuthParameters.PASSWORD !== PASSWORD) return fail(400, 'NotAuthorizedException', 'Incorrect username or password.');
    return {
      status: 200,
      body: { AuthenticationResult: { AccessToken: jwt('access-1'), IdToken: jwt('id-1'), RefreshToken: 'refresh-1', ExpiresIn: 1800, TokenType: 'Bearer' }, ChallengeParameters: {} },
    };
  }
  if (AuthFlow === 'REFRESH_TOKEN_AUTH') {
    if (AuthParameters.REFRESH_TOKEN !== 'refresh-1') return fail(400, 'NotAuthorizedException', 'Refresh Token has been revoked');
    return { status: 200, body: { AuthenticationResult: { AccessToken: jwt('access-2'), IdToken: jwt('id-2'), ExpiresIn: 1800, TokenType: 'Bearer' }, ChallengeParameters: {} } };
  }
  return fail(400, 'InvalidParameterException', `${AuthFlow} flow not enabled for this client`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'otpvault-login-'));
  // Bundled once instead of compiled by tsx in each of the dozen processes (about a CPU-second each).
  // Inside the repository (dist/ is ignored), so the bundle finds its packages in node_modules.
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  mkdirSync(dist, { recursive: true });
  bundleDir = mkdtempSync(join(dist, '.login-cli-'));
  cli = await buildCli(bundleDir);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let answer: { status: number; body: unknown };
      if (req.method === 'GET' && req.url === '/v1/me') {
        const bearer = String(req.headers.authorization ?? '');
        bearers.push(bearer);
        answer = { status: 200, body: { principal: { id: 'user:alice', kind: 'user', name: 'alice' }, groups: [], permissions: [] } };
      } else {
        const request: Seen = {
          target: req.headers['x-amz-target'] as string | undefined,
          contentType: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Seen['body'],
        };
        seen.push(request);
        answer = cognito(request);
      }
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(work, { recursive: true, force: true });
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
  bearers.length = 0;
});

/** A fresh config directory with a profile as `configure --stack` saves it. */
function configDir(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ profiles: { default: { apiUrl: url, auth: 'token', region: 'eu-west-1', userPoolClientId: CLIENT_ID } } }));
  return dir;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function otpvault(dir: string, args: string[], stdin = ''): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: work, OTPVAULT_CONFIG_DIR: dir, OTPVAULT_COGNITO_ENDPOINT: `${url}/` }, timeout: 30_000 },
      (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

function tokens(dir: string): Record<string, Record<string, unknown>> {
  const file = join(dir, 'tokens.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { tokens: Record<string, Record<string, unknown>> }).tokens : {};
}

describe('otpvault login against Cognito (USER_PASSWORD_AUTH)', () => {
  it('signs in with the password from stdin and stores the tokens in a 0600 file, which later calls use', async () => {
    // Prepare
    const dir = configDir('success');

    // Act
    const login = await otpvault(dir, ['login', '--username', 'alice', '--password-stdin', '--json'], `${PASSWORD}\n`);
    const me = await otpvault(dir, ['me', '--json']);

    // Assess
    expect(login).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(login.stdout)).toMatchObject({ profile: 'default', expiresAt: expect.any(String) });
    expect(seen[0]).toEqual({
      target: 'AWSCognitoIdentityProviderService.InitiateAuth',
      contentType: 'application/x-amz-json-1.1',
      body: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice', PASSWORD } },
    });
    expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(tokens(dir).default).toMatchObject({ accessToken: jwt('access-1'), idToken: jwt('id-1'), refreshToken: 'refresh-1', cognito: { region: 'eu-west-1', clientId: CLIENT_ID } });
    expect(me.code).toBe(0);
    expect(bearers).toEqual([`Bearer ${jwt('access-1')}`]);
    expect(seen).toHaveLength(1); // a fresh token is not refreshed
  });

  it('refuses a wrong password with exit 3 and one line on stderr, and stores nothing', async () => {
    // Prepare
    const dir = configDir('wrong');

    // Act
    const login = await otpvault(dir, ['login', '--username', 'alice', '--password-stdin'], 'hunter2\n');

    // Assess
    expect(login.code).toBe(3);
    expect(login.stderr).toMatch(/^otpvault: sign-in refused: Incorrect username or password\.\n$/);
    expect(login.stdout).toBe('');
    expect(tokens(dir)).toEqual({});
  });

  it('refuses a challenge it cannot answer (new password; MFA without a code) clearly, and stores nothing', async () => {
    // Prepare
    const dir = configDir('challenge');

    // Act
    const newbie = await otpvault(dir, ['login', '--username', 'newbie', '--password-stdin'], 'temporary\n');
    const mfa = await otpvault(dir, ['login', '--username', 'carol', '--password-stdin'], `${PASSWORD}\n`);

    // Assess
    expect(newbie.code).toBe(3);
    expect(newbie.stderr).toMatch(/^otpvault: sign-in needs a new password \(challenge NEW_PASSWORD_REQUIRED\).*\n$/);
    expect(mfa.code).toBe(3);
    expect(mfa.stderr).toMatch(/^otpvault: sign-in needs the code of your authenticator app \(challenge SOFTWARE_TOKEN_MFA\): pass --mfa-code.*\n$/);
    expect(tokens(dir)).toEqual({});
  });

  it('answers the TOTP MFA challenge with --mfa-code, and refuses a wrong code storing nothing', async () => {
    // Prepare
    const dir = configDir('mfa');

    // Act
    const wrong = await otpvault(dir, ['login', '--username', 'carol', '--password-stdin', '--mfa-code', '000000'], `${PASSWORD}\n`);
    const storedAfterWrong = tokens(dir);
    const right = await otpvault(dir, ['login', '--username', 'carol', '--password-stdin', '--mfa-code', '246810'], `${PASSWORD}\n`);

    // Assess
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^otpvault: sign-in refused: the MFA code does not match.*\n$/);
    expect(storedAfterWrong).toEqual({});
    expect(right.code).toBe(0);
    expect(tokens(dir)).toMatchObject({ default: { accessToken: jwt('access-mfa'), refreshToken: 'refresh-mfa' } });
  });

  it('refreshes an expired access token silently with REFRESH_TOKEN_AUTH before the call, keeping the refresh token', async () => {
    // Prepare
    const dir = configDir('refresh');
    const expired = { accessToken: jwt('access-1'), refreshToken: 'refresh-1', expiresAt: new Date(Date.now() - 60_000).toISOString(), cognito: { region: 'eu-west-1', clientId: CLIENT_ID } };
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ tokens: { default: expired } }), { mode: 0o600 });

    // Act
    const me = await otpvault(dir, ['me', '--json']);

    // Assess
    expect(me).toMatchObject({ code: 0, stderr: '' });
    expect(seen.map((s) => s.body)).toEqual([{ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: 'refresh-1' } }]);
    expect(bearers).toEqual([`Bearer ${jwt('access-2')}`]);
    const stored = tokens(dir).default;
    expect(stored).toMatchObject({ accessToken: jwt('access-2'), idToken: jwt('id-2'), refreshToken: 'refresh-1' });
    expect(Date.parse(String(stored?.expiresAt))).toBeGreaterThan(Date.now() + 20 * 60_000);
    expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600);
  });

  it('asks for a new login when the refresh token is refused (exit 3), without calling the API', async () => {
    // Prepare
    const dir = configDir('revoked');
    const expired = { accessToken: jwt('access-1'), refreshToken: 'revoked', expiresAt: new Date(Date.now() + 10_000).toISOString(), cognito: { region: 'eu-west-1', clientId: CLIENT_ID } };
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ tokens: { default: expired } }), { mode: 0o600 });

    // Act
    const me = await otpvault(dir, ['me']);

    // Assess
    expect(me.code).toBe(3);
    expect(me.stderr).toMatch(/^otpvault: .*run otpvault login again\n$/);
    expect(bearers).toEqual([]);
  });

  it('logout removes the stored tokens', async () => {
    // Prepare
    const dir = configDir('logout');
    await otpvault(dir, ['login', '--username', 'alice', '--password-stdin'], PASSWORD);

    // Act
    const logout = await otpvault(dir, ['logout']);

    // Assess
    expect(logout.code).toBe(0);
    expect(tokens(dir)).toEqual({});
  });
});
