import { vaultDecryptOf } from '../../../../shared/audit/reconcile';

function record(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    eventVersion: '1.11',
    userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:fn', arn: 'arn:aws:sts::111122223333:assumed-role/generateOtp/fn' },
    eventTime: '2025-03-10T10:00:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    requestParameters: {
      encryptionContext: { 'otpvault:secretId': 'secret-0001', 'otpvault:field': 'otpSeed', 'otpvault:part': 'v2' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    },
    responseElements: null,
    requestID: 'kms-request-1',
    eventID: 'trail-event-1',
    ...overrides,
  });
}

describe('vaultDecryptOf', () => {
  it('reads the secret, field, part, caller and request of a KMS Decrypt record', () => {
    // Act
    const decrypt = vaultDecryptOf(record());

    // Assess
    expect(decrypt).toEqual({
      eventTime: '2025-03-10T10:00:00Z',
      secretId: 'secret-0001',
      field: 'otpSeed',
      part: 'v2',
      caller: 'arn:aws:sts::111122223333:assumed-role/generateOtp/fn',
      requestId: 'kms-request-1',
      eventId: 'trail-event-1',
    });
  });

  it('keeps the error code of a failed Decrypt', () => {
    // Act
    const decrypt = vaultDecryptOf(record({ errorCode: 'InvalidCiphertextException' }));

    // Assess
    expect(decrypt?.errorCode).toBe('InvalidCiphertextException');
  });

  it.each([
    ['a Decrypt without a secret in its context', record({ requestParameters: { encryptionContext: { 'aws:dynamodb:tableName': 'x' } } })],
    ['a Decrypt without request parameters', record({ requestParameters: null })],
    ['an Encrypt', record({ eventName: 'Encrypt' })],
    ['another service', record({ eventSource: 'dynamodb.amazonaws.com' })],
    ['a record that is not JSON', '{'],
    ['a record without an event time', JSON.stringify({ eventSource: 'kms.amazonaws.com', eventName: 'Decrypt' })],
  ])('ignores %s', (_what, json) => {
    // Act / Assess
    expect(vaultDecryptOf(json)).toBeUndefined();
  });
});
