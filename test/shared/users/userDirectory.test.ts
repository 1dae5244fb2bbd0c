import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoUserDirectory } from '../../../shared/users/CognitoUserDirectory';
import { LocalUserDirectory, LocalUserRegistry } from '../../../shared/users/LocalUserRegistry';
import { bindUsers } from '../../../shared/users/bindUsers';
import { userDirectoryFromEnv } from '../../../shared/users/fromConfig';
import { ENV } from '../../../shared/config/vaultConfig';
import type { UserDirectory } from '../../../shared/users/UserDirectory';

// Binding a policy asks the user directory for each named user's sub: Cognito's AdminGetUser in
// AWS (here answered by a stand-in for the service), the issuer's registry locally.
const CREDENTIALS = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });

function cognito(answer: (request: { headers: Headers; body: Record<string, unknown> }) => Response): { directory: CognitoUserDirectory; seen: { headers: Headers; body: Record<string, unknown> }[] } {
  const seen: { headers: Headers; body: Record<string, unknown> }[] = [];
  const fetchStub = (async (_url: string | URL | Request, init?: RequestInit) => {
    const request = { headers: new Headers(init?.headers), body: JSON.parse(String(init?.body)) as Record<string, unknown> };
    seen.push(request);
    return answer(request);
  }) as typeof fetch;
  return { directory: new CognitoUserDirectory({ userPoolId: 'eu-west-1_Pool', region: 'eu-west-1', credentials: CREDENTIALS, fetch: fetchStub }), seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/x-amz-json-1.1' } });

describe('CognitoUserDirectory', () => {
  it('asks AdminGetUser on the pool, signed with SigV4, and reads the sub attribute', async () => {
    // Prepare
    const { directory, seen } = cognito(() => json(200, { Username: 'alice', UserAttributes: [{ Name: 'email', Value: 'a@example.com' }, { Name: 'sub', Value: 'sub-1' }] }));
    // Act
    const sub = await directory.subOf('alice');
    // Assess
    expect(sub).toBe('sub-1');
    expect(seen[0]?.body).toEqual({ UserPoolId: 'eu-west-1_Pool', Username: 'alice' });
    expect(seen[0]?.headers.get('x-amz-target')).toBe('AWSCognitoIdentityProviderService.AdminGetUser');
    expect(seen[0]?.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/cognito-idp\/aws4_request/);
    expect(seen[0]?.headers.get('x-amz-security-token')).toBe('token');
  });

  it('knows no user the pool does not have, nor one only found through a sign-in alias', async () => {
    // Prepare
    const missing = cognito(() => json(400, { __type: 'UserNotFoundException', message: 'User does not exist.' })).directory;
    const alias = cognito(() => json(200, { Username: 'alice', UserAttributes: [{ Name: 'sub', Value: 'sub-1' }] })).directory;
    // Act / Assess
    await expect(missing.subOf('alice')).resolves.toBeUndefined();
    await expect(alias.subOf('alice@example.com')).resolves.toBeUndefined();
  });

  it('fails (a 5xx, never a guess) when Cognito refuses or fails', async () => {
    // Prepare
    const { directory } = cognito(() => json(400, { __type: 'com.amazonaws.cognito#AccessDeniedException' }));
    // Act / Assess
    await expect(directory.subOf('alice')).rejects.toThrow('Cognito AdminGetUser failed with HTTP 400 (AccessDeniedException)');
  });
});

describe('bindUsers', () => {
  it('binds every user named as principal or approver, and refuses an unknown one with 400 naming it', async () => {
    // Prepare
    const known: Record<string, string> = { alice: 'sub-a', carol: 'sub-c' };
    const directory: UserDirectory = { subOf: async (name) => known[name] };
    const document = { principals: ['user:alice', 'group:ops'], approval: { approvers: ['user:carol'], minApprovals: 1, grantMinutes: 60, justificationRequired: false } };
    // Act
    const bound = await bindUsers(document, directory);
    const unknown = bindUsers({ principals: ['user:alice', 'user:zed'] }, directory);
    // Assess
    expect(bound).toEqual({ alice: 'sub-a', carol: 'sub-c' });
    await expect(unknown).rejects.toMatchObject({ kind: 'invalid', code: 'UnknownUser', message: expect.stringContaining('no user zed in the user pool') });
  });
});

describe('the local user registry', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'otpvault-users-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a name one sub, concurrently too, until it is re-created', async () => {
    // Prepare
    const registry = new LocalUserRegistry(join(dir, 'users'));
    const directory = new LocalUserDirectory(registry);
    // Act
    const first = await Promise.all([registry.enrol('alice'), directory.subOf('alice'), new LocalUserRegistry(join(dir, 'users')).enrol('alice')]);
    const renewed = await registry.recreate('alice');
    // Assess
    expect(new Set(first).size).toBe(1);
    expect(renewed).not.toBe(first[0]);
    await expect(directory.subOf('alice')).resolves.toBe(renewed);
    await expect(directory.subOf('not a name')).resolves.toBeUndefined();
    await expect(registry.find('..')).resolves.toBeUndefined();
  });
});

describe('the deployed user directory', () => {
  it('signs with the credentials Lambda puts in the environment, and says so when they are missing', async () => {
    // Prepare: Cognito mode with no credentials in this environment (no provider chain is consulted)
    const env = { [ENV.authMode]: 'cognito', [ENV.userPoolId]: 'eu-west-1_Pool', [ENV.region]: 'eu-west-1' };
    // Act + Assess
    await expect(userDirectoryFromEnv(env).subOf('alice')).rejects.toThrow(/no AWS credentials in the environment/);
  });
});
