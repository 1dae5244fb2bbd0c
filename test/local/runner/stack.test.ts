import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { StackAlreadyStartedError } from '../../../local/errors';
import { ensureSeedKey, SEED_KEY_ALIAS, startLocalStack, type LocalStack } from '../../../local/stack';
import { ENV } from '../../../shared/config/vaultConfig';
import { TABLES } from '../../../shared/store/tables';
import { removeTempDataDirs, tempDataDir } from './helpers';

const dataDir = tempDataDir('stack');
const accessKeyBefore = process.env.AWS_ACCESS_KEY_ID;
let stack: LocalStack;

beforeAll(async () => {
  process.env.OTPVAULT_LOG_LEVEL = 'warn';
  stack = await startLocalStack({ dataDir, port: 0, quiet: true });
});

afterAll(async () => {
  await stack?.stop();
  removeTempDataDirs();
});

describe('startLocalStack', () => {
  it('serves the real health handler', async () => {
    // Act
    const response = await fetch(`${stack.url}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('sets the configuration the handlers read before they are imported', () => {
    // Assess
    expect(stack.env).toMatchObject({
      [ENV.region]: 'us-east-1',
      [ENV.authMode]: 'local',
      [ENV.localIssuer]: 'urn:otpvault:local',
      [ENV.localJwksFile]: join(dataDir, 'issuer', 'jwks.json'),
      [ENV.originCheck]: 'off',
      [ENV.dynamoDbEndpoint]: stack.dynamoDbEndpoint,
      [ENV.kmsEndpoint]: stack.kmsEndpoint,
      [ENV.kmsKeyId]: stack.seedKeyArn,
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
    });
    for (const table of TABLES) expect(stack.env[table.envVar]).toBe(table.localName);
    for (const [name, value] of Object.entries(stack.env)) expect(process.env[name]).toBe(value);
  });

  it('accepts a token from its issuer and refuses a request without one', async () => {
    // Prepare
    const token = await stack.issuer.signToken({ user: 'alice', groups: ['admins'] });

    // Act
    const withToken = await fetch(`${stack.url}/v1/templates`, { headers: { authorization: `Bearer ${token}` } });
    const without = await fetch(`${stack.url}/v1/templates`);

    // Assess
    expect(withToken.status).toBe(200);
    expect(without.status).toBe(401);
  });

  it('serves the issuer\'s JWKS', async () => {
    // Act
    const response = await fetch(`${stack.url}/.well-known/jwks.json`);

    // Assess
    expect(await response.json()).toEqual(stack.issuer.jwks);
  });

  it('has an enabled symmetric seed key under alias/otpvault-seeds, and finds it again', async () => {
    // Prepare
    const kms = new KMSClient({ endpoint: stack.kmsEndpoint, region: 'us-east-1', credentials: stack.credentials });

    // Act
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: SEED_KEY_ALIAS }));
    const again = await ensureSeedKey(stack.kmsEndpoint, stack.credentials);
    kms.destroy();

    // Assess
    expect(KeyMetadata).toMatchObject({ Arn: stack.seedKeyArn, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' });
    expect(again).toBe(stack.seedKeyArn);
  });

  it('refuses a second start in the same process', async () => {
    // Act
    const second = startLocalStack({ dataDir: tempDataDir('second'), quiet: true });

    // Assess
    await expect(second).rejects.toThrow(StackAlreadyStartedError);
  });

  it('stops everything, frees the data directory and restores the environment', async () => {
    // Act
    await stack.stop();

    // Assess
    await expect(fetch(`${stack.url}/health`)).rejects.toThrow();
    await expect(fetch(stack.dynamoDbEndpoint, { method: 'POST' })).rejects.toThrow();
    await expect(fetch(stack.kmsEndpoint, { method: 'POST' })).rejects.toThrow();
    expect(existsSync(join(dataDir, 'local-stack.pid'))).toBe(false);
    expect(process.env.AWS_ACCESS_KEY_ID).toBe(accessKeyBefore);
    expect(process.env[ENV.authMode]).toBeUndefined();
  });
});
