import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { decodeJwt } from 'jose';
import { createProgram, type CliOutput } from '../../../cli/program';
import { CREDENTIALS_FILE } from '../../../local/iam/credentials';
import { initLocalIssuer } from '../../../local/issuer';
import { removeTempDataDirs, tempDataDir } from './helpers';

afterAll(removeTempDataDirs);

/** Runs `otpvault <args>` in-process and captures what it prints. */
async function run(...args: string[]): Promise<{ out: string; err: string; error?: unknown }> {
  let out = '';
  let err = '';
  const output: CliOutput = { out: (text) => (out += text), err: (text) => (err += text) };
  try {
    await createProgram(output).parseAsync(['node', 'otpvault', ...args]);
    return { out, err };
  } catch (error) {
    return { out, err, error };
  }
}

describe('otpvault local token', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDataDir('cli');
    await initLocalIssuer(dataDir);
  });

  it('prints only the token, on one line', async () => {
    // Act
    const { out, err, error } = await run('local', 'token', '--user', 'alice', '--groups', 'admins, ops', '--data-dir', dataDir);

    // Assess
    expect(error).toBeUndefined();
    expect(err).toBe('');
    expect(out).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    expect(decodeJwt(out.trim())).toMatchObject({ username: 'alice', 'cognito:groups': ['admins', 'ops'], 'otpvault:principal_kind': 'user' });
  });

  it('keeps a user\'s sub across tokens until `local users recreate` gives the name a new account', async () => {
    // Prepare
    const subOf = async () => decodeJwt((await run('local', 'token', '--user', 'uma', '--data-dir', dataDir)).out.trim()).sub;
    const first = await subOf();

    // Act
    const again = await subOf();
    const recreated = await run('local', 'users', 'recreate', 'uma', '--data-dir', dataDir);
    const after = await subOf();

    // Assess
    expect(again).toBe(first);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(recreated.error).toBeUndefined();
    expect(recreated.out).toBe(`user uma re-created: new sub ${after}\n`);
    expect(after).not.toBe(first);
  });

  it('makes a service token with the given lifetime', async () => {
    // Act
    const { out } = await run('local', 'token', '--service', 'ci-bot', '--ttl', '120', '--data-dir', dataDir);

    // Assess
    const claims = decodeJwt(out.trim());
    expect(claims).toMatchObject({ sub: 'local:service:ci-bot', 'otpvault:principal_kind': 'service' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);
  });

  it('refuses both --user and --service', async () => {
    // Act
    const { out, err, error } = await run('local', 'token', '--user', 'a', '--service', 'b', '--data-dir', dataDir);

    // Assess
    expect(error).toBeInstanceOf(CommanderError);
    expect(out).toBe('');
    expect(err).toMatch(/cannot be used with/);
  });

  it('refuses a call that names no principal', async () => {
    // Act
    const { error, err } = await run('local', 'token', '--data-dir', dataDir);

    // Assess
    expect(error).toBeInstanceOf(CommanderError);
    expect(err).toMatch(/exactly one principal/);
  });

  it('refuses a lifetime that is not a whole number', async () => {
    // Act
    const { error, err } = await run('local', 'token', '--user', 'alice', '--ttl', '1h', '--data-dir', dataDir);

    // Assess
    expect(error).toBeInstanceOf(CommanderError);
    expect(err).toMatch(/whole number/);
  });

  it('says to run npm start first when the issuer was never initialised', async () => {
    // Act
    const { error, out } = await run('local', 'token', '--user', 'alice', '--data-dir', tempDataDir('fresh'));

    // Assess
    expect(out).toBe('');
    expect(String(error)).toMatch(/Run `npm start` once/);
  });
});

describe('otpvault local credentials', () => {
  it('prints shell exports of a role, made on first use and kept the same after', async () => {
    // Prepare
    const dataDir = tempDataDir('credentials');

    // Act
    const first = await run('local', 'credentials', '--role', 'deploy', '--data-dir', dataDir);
    const again = await run('local', 'credentials', '--role', 'deploy', '--data-dir', dataDir);
    const mode = statSync(join(dataDir, CREDENTIALS_FILE)).mode & 0o777;

    // Assess
    expect(first.error).toBeUndefined();
    expect(first.out).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA[0-9A-F]{16}'\nexport AWS_SECRET_ACCESS_KEY='[^']+'\nexport AWS_SESSION_TOKEN='[^']+'\nexport AWS_REGION='us-east-1'\n$/);
    expect(again.out).toBe(first.out);
    expect(mode).toBe(0o600);
  });

  it('refuses a name IAM would not accept', async () => {
    // Act
    const { error, err } = await run('local', 'credentials', '--role', 'a b', '--data-dir', tempDataDir('badrole'));

    // Assess
    expect(error).toMatchObject({ exitCode: 2 });
    expect(err).toMatch(/not a role name/);
  });
});
