import type { AuditEvent } from '../../../../shared/audit/event';
import { matchDecrypts, vaultDecryptOf } from '../../../../shared/audit/reconcile';

// A ReEncrypt decrypts a vault ciphertext into another key; GenerateDataKey* makes ciphertexts bound
// to a secret. The vault calls neither, so reconcile reads them and never explains them.
const FUNCTION = 'arn:aws:sts::111122223333:assumed-role/generateOtp/fn';
const CONTEXT = { 'otpvault:secretId': 'secret-0001', 'otpvault:field': 'otpSeed', 'otpvault:part': 'v2' };

function record(eventName: string, requestParameters: Record<string, unknown>): string {
  return JSON.stringify({
    userIdentity: { type: 'AssumedRole', arn: FUNCTION },
    eventTime: '2025-03-10T10:00:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName,
    requestParameters,
    requestID: `kms-${eventName}`,
    eventID: `trail-${eventName}`,
  });
}

const otpEvent: AuditEvent = {
  eventId: 'event-0001',
  time: '2025-03-10T09:59:59.500Z',
  actor: { principal: 'user:alice', kind: 'user', groups: [] },
  action: 'otp:generate',
  operation: 'generateOtp',
  target: { secretId: 'secret-0001' },
  result: 'allowed',
  reason: 'ok',
  status: 200,
  source: { ip: '192.0.2.1', userAgent: '' },
  requestId: 'req-1',
  details: { seedVersion: 2 },
};

describe('reconcile and KMS calls other than Decrypt', () => {
  it('reads a ReEncrypt of a seed ciphertext by its source encryption context', () => {
    // Act
    const found = vaultDecryptOf(
      record('ReEncrypt', { sourceEncryptionContext: CONTEXT, destinationKeyId: 'arn:aws:kms:eu-west-1:999999999999:key/x', destinationEncryptionContext: {} }),
    );

    // Assess
    expect(found).toMatchObject({ operation: 'ReEncrypt', secretId: 'secret-0001', field: 'otpSeed', part: 'v2', caller: FUNCTION });
  });

  it.each(['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext'])('reads a %s naming a secret', (eventName) => {
    expect(vaultDecryptOf(record(eventName, { encryptionContext: CONTEXT, keySpec: 'AES_256' }))).toMatchObject({ operation: eventName, secretId: 'secret-0001' });
  });

  it('never explains a ReEncrypt, even by a vault function right after an audited OTP', () => {
    // Prepare
    const reEncrypt = vaultDecryptOf(record('ReEncrypt', { sourceEncryptionContext: CONTEXT }))!;

    // Act
    const result = matchDecrypts([reEncrypt], [otpEvent], { afterMs: 30_000, beforeMs: 5_000 }, () => true);

    // Assess
    expect(result.explained).toEqual([]);
    expect(result.unexplained).toEqual([reEncrypt]);
  });
});
