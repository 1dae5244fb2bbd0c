/**
 * The emulator accepts only requests signed (SigV4) with a key pair of the data directory's
 * credentials file, as KMS accepts only the account's keys.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { CREDENTIALS_FILE, ensureLocalCredentials } from '../../../local/credentials';
import { ACCESS_KEY_ID, REGION, registerKeyPair, startFixture, stopFixture, type Fixture } from './emulatorFixture';

describe('KMS emulator signature check', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(async () => {
    await stopFixture(fixture);
  });

  const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new KMSClient({ endpoint: fixture.emulator.endpoint, region: REGION, credentials, maxAttempts: 1 });

  const post = (headers: Record<string, string>) =>
    fetch(fixture.emulator.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListAliases', ...headers },
      body: '{}',
    });

  it('answers a request signed with a key pair of the credentials file', async () => {
    // Act
    const result = await fixture.kms.send(new ListAliasesCommand({}));

    // Assess
    expect(result.Aliases).toEqual([]);
  });

  it('refuses a request signed with the right access key id but another secret with InvalidSignatureException', async () => {
    // Prepare
    const forger = client({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'guessed' });

    // Act
    const attempt = forger.send(new ListAliasesCommand({}));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    forger.destroy();
  });

  it('refuses an access key id it does not know with UnrecognizedClientException', async () => {
    // Prepare
    const stranger = client({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'whatever' });

    // Act
    const attempt = stranger.send(new ListAliasesCommand({}));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    stranger.destroy();
  });

  it('refuses a malformed Authorization header with IncompleteSignatureException', async () => {
    // Act
    const response = await post({ authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20260101/us-east-1/kms/aws4_request` });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'IncompleteSignatureException' });
  });

  it('refuses a request without a signature with MissingAuthenticationTokenException', async () => {
    // Act
    const response = await post({});

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('refuses a body changed after signing with InvalidSignatureException', async () => {
    // Prepare: a real signed request whose body is swapped on the way
    const signed = client(await registerKeyPair(fixture.dataDir, ACCESS_KEY_ID));
    signed.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: string };
        request.body = '[]'; // same length, so only the signature can tell
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'swapBody' },
    );

    // Act
    const attempt = signed.send(new ListAliasesCommand({}));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    signed.destroy();
  });

  it('keeps a new identity in the credentials file, readable by its owner only', async () => {
    // Act
    const pair = await ensureLocalCredentials(fixture.dataDir, 'operator');
    const other = client(pair);
    const result = await other.send(new ListAliasesCommand({}));

    // Assess
    expect(pair.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(result.Aliases).toEqual([]);
    expect((await stat(join(fixture.dataDir, CREDENTIALS_FILE))).mode & 0o777).toBe(0o600);
    other.destroy();
  });
});
