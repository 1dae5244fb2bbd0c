import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ALERT_ENV } from '../../../shared/alerts/env';
import { createDocumentClient } from '../../../shared/aws/clients';
import { AUDIT_TABLE } from '../../../shared/store/tables';
import { startTestVault, uniquePath, type TestVault } from '../../helpers/vault';

// The outbox stream's consumers in worker threads (as `npm start` and the benches run them): the events
// written by the request thread reach the audit table and the alerts file through the workers, and
// flush/stop cross the threads.
let vault: TestVault;
let alertFileBefore: string | undefined;

beforeAll(async () => {
  vault = await startTestVault({ streamPoller: 'worker' });
  // A fault only the request thread sees, set before any event is written: an alert publisher running
  // here would read it on its first batch and fail to append (a directory path under a regular file).
  // One in its own thread was configured when it started.
  alertFileBefore = process.env[ALERT_ENV.file];
  process.env[ALERT_ENV.file] = join(vault.dataDir, 'credentials.json', 'alerts.jsonl');
}, 180_000);

afterAll(async () => {
  process.env[ALERT_ENV.file] = alertFileBefore;
  await vault?.stop();
});

async function otpSecret(alertOnUse = false): Promise<string> {
  const admin = await vault.token('alice', ['admins']);
  const created = await vault.call('POST', '/v1/secrets', {
    token: admin,
    body: { path: uniquePath('/w'), template: 'otp-only', alertOnUse, fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('the outbox stream consumers in worker threads', () => {
  it('delivers an OTP request\'s event to the audit table by the time flush resolves', async () => {
    // Prepare
    const admin = await vault.token('alice', ['admins']);
    const secretId = await otpSecret();

    // Act
    const otp = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: admin });
    await vault.stack.audit.flush();

    // Assess
    const db = createDocumentClient({ region: 'us-east-1', endpoints: { dynamoDb: vault.stack.dynamoDbEndpoint } });
    try {
      const { Items = [] } = await db.send(
        new QueryCommand({ TableName: vault.stack.tableName(AUDIT_TABLE), IndexName: 'bySecret', KeyConditionExpression: 'secretKey = :id', ExpressionAttributeValues: { ':id': secretId } }),
      );
      expect(otp.status).toBe(200);
      expect(Items.map((i) => i.operation).sort()).toEqual(['createSecret', 'generateOtp']);
    } finally {
      db.destroy();
    }
  });

  it('publishes alerts from the alert publisher\'s own thread, not the request thread', async () => {
    // Prepare
    const admin = await vault.token('alice', ['admins']);
    const secretId = await otpSecret(true);

    // Act
    const otp = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: admin });
    await vault.stack.alerts.flush(20_000);

    // Assess: published to the file the stack was started with, despite the request thread's fault
    expect(otp.status).toBe(200);
    const file = vault.stack.alerts.file;
    const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
    const used = lines.map((l) => JSON.parse(l) as { 'detail-type': string; detail: { secretId?: string } }).filter((l) => l.detail.secretId === secretId);
    expect(used.map((l) => l['detail-type'])).toEqual(['Secret Used']);
  });
});
