import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../shared/aws/clients';
import { AUDIT_TABLE } from '../../../shared/store/tables';
import { startTestVault, uniquePath, type TestVault } from '../../helpers/vault';

// The stream poller in a worker thread (as `npm start` and the benches run it): the events written by
// the request thread reach the audit table through the worker, and flush/stop cross the thread.
let vault: TestVault;

beforeAll(async () => {
  vault = await startTestVault({ streamPoller: 'worker' });
}, 180_000);

afterAll(async () => {
  await vault?.stop();
});

describe('the audit stream poller in a worker thread', () => {
  it('delivers an OTP request\'s event to the audit table by the time flush resolves', async () => {
    // Prepare
    const admin = await vault.token('alice', ['admins']);
    const created = await vault.call('POST', '/v1/secrets', {
      token: admin,
      body: { path: uniquePath('/w'), template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } },
    });
    const secretId = created.body.id as string;

    // Act
    const otp = await vault.call('POST', `/v1/secrets/${secretId}/otp`, { token: admin });
    await vault.stack.audit.flush();

    // Assess
    const db = createDocumentClient({ region: 'us-east-1', endpoints: { dynamoDb: vault.stack.dynamoDbEndpoint } });
    try {
      const { Items = [] } = await db.send(
        new QueryCommand({ TableName: AUDIT_TABLE.localName, IndexName: 'bySecret', KeyConditionExpression: 'secretKey = :id', ExpressionAttributeValues: { ':id': secretId } }),
      );
      expect(otp.status).toBe(200);
      expect(Items.map((i) => i.operation).sort()).toEqual(['createSecret', 'generateOtp']);
    } finally {
      db.destroy();
    }
  });
});
