import {
  LookupEventsCommand,
  type CloudTrailClient,
  type Event,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, GenerateDataKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import {
  ACCESS_KEY_ID,
  createSymmetricKey,
  decryptText,
  encryptText,
  startFixture,
  stopFixture,
  type Fixture,
} from './emulatorFixture';

interface KmsRecord {
  eventName: string;
  eventSource: string;
  eventTime: string;
  errorCode?: string;
  readOnly: boolean;
  userIdentity: { accessKeyId: string };
  requestParameters: { encryptionContext?: Record<string, string>; encryptionAlgorithm?: string };
  resources?: { ARN: string; type: string }[];
}

function recordOf(event: Event): KmsRecord {
  return JSON.parse(event.CloudTrailEvent ?? '{}') as KmsRecord;
}

const DECRYPTS: LookupEventsCommandInput = { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }] };

async function lookup(cloudTrail: CloudTrailClient, input: LookupEventsCommandInput): Promise<Event[]> {
  const { Events: events } = await cloudTrail.send(new LookupEventsCommand(input));
  return events ?? [];
}

/** Decrypts one item's seed, successfully, with the context it was encrypted under. */
async function decryptItem(fixture: Fixture, keyId: string, itemId: string): Promise<void> {
  const blob = await encryptText(fixture.kms, keyId, `seed of ${itemId}`, { itemId });
  await decryptText(fixture.kms, blob, { itemId });
}

/** Waits until the next whole second starts and returns it: CloudTrail times have one-second resolution. */
async function nextWholeSecond(): Promise<Date> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

describe('CloudTrail LookupEvents over the KMS trail', () => {
  let fixture: Fixture;
  let keyId: string;
  beforeEach(async () => {
    fixture = await startFixture();
    keyId = (await createSymmetricKey(fixture.kms)).KeyId ?? '';
  });
  afterEach(async () => {
    await stopFixture(fixture);
  });

  it('returns every Decrypt, failed ones too, newest first, with its encryption context, key and caller', async () => {
    // Prepare
    await decryptItem(fixture, keyId, 'item-1');
    const blob = await encryptText(fixture.kms, keyId, 'seed of item-2', { itemId: 'item-2' });
    await expect(decryptText(fixture.kms, blob, { itemId: 'item-3' })).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    await decryptItem(fixture, keyId, 'item-4');

    // Act
    const events = await lookup(fixture.cloudTrail, DECRYPTS);

    // Assess
    const records = events.map(recordOf);
    expect(records.map((record) => record.requestParameters.encryptionContext)).toEqual([
      { itemId: 'item-4' },
      { itemId: 'item-3' },
      { itemId: 'item-1' },
    ]);
    expect(records.map((record) => record.errorCode)).toEqual([undefined, 'InvalidCiphertextException', undefined]);
    const keyArn = `arn:aws:kms:us-east-1:000000000000:key/${keyId}`;
    for (const [index, event] of events.entries()) {
      expect(event).toMatchObject({
        EventName: 'Decrypt',
        EventSource: 'kms.amazonaws.com',
        AccessKeyId: ACCESS_KEY_ID,
        Resources: [{ ResourceType: 'AWS::KMS::Key', ResourceName: keyArn }],
      });
      expect(event.EventTime).toBeInstanceOf(Date);
      expect(records[index]).toMatchObject({
        eventSource: 'kms.amazonaws.com',
        readOnly: true,
        userIdentity: { accessKeyId: ACCESS_KEY_ID },
        requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
        resources: [{ ARN: keyArn, type: 'AWS::KMS::Key' }],
      });
    }
  });

  it('returns only the events between StartTime and EndTime', async () => {
    // Prepare
    await decryptItem(fixture, keyId, 'before');
    const boundary = await nextWholeSecond();
    await decryptItem(fixture, keyId, 'after-1');
    await decryptItem(fixture, keyId, 'after-2');

    // Act
    const fromBoundary = await lookup(fixture.cloudTrail, { ...DECRYPTS, StartTime: boundary });
    const untilBoundary = await lookup(fixture.cloudTrail, { ...DECRYPTS, EndTime: new Date(boundary.getTime() - 1) });

    // Assess
    const contexts = (events: Event[]) => events.map((event) => recordOf(event).requestParameters.encryptionContext?.itemId);
    expect(contexts(fromBoundary)).toEqual(['after-2', 'after-1']);
    expect(contexts(untilBoundary)).toEqual(['before']);
  });

  it('pages with MaxResults and NextToken through the same events, each once', async () => {
    // Prepare
    for (const itemId of ['a', 'b', 'c', 'd', 'e']) await decryptItem(fixture, keyId, itemId);
    const pages: Event[][] = [];
    let nextToken: string | undefined;

    // Act
    do {
      const page = await fixture.cloudTrail.send(new LookupEventsCommand({ ...DECRYPTS, MaxResults: 2, NextToken: nextToken }));
      pages.push(page.Events ?? []);
      nextToken = page.NextToken;
    } while (nextToken !== undefined);

    // Assess
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    const paged = pages.flat().map((event) => event.EventId);
    const all = (await lookup(fixture.cloudTrail, DECRYPTS)).map((event) => event.EventId);
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(5);
  });

  it('refuses a NextToken with other parameters than the call that issued it with InvalidNextTokenException', async () => {
    // Prepare
    for (const itemId of ['a', 'b']) await decryptItem(fixture, keyId, itemId);
    const { NextToken: token } = await fixture.cloudTrail.send(new LookupEventsCommand({ ...DECRYPTS, MaxResults: 1 }));

    // Act
    const attempt = fixture.cloudTrail.send(new LookupEventsCommand({ MaxResults: 1, NextToken: token }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it('finds the events of one key by ResourceName', async () => {
    // Prepare
    const otherKeyId = (await createSymmetricKey(fixture.kms)).KeyId ?? '';
    await decryptItem(fixture, keyId, 'mine');
    await decryptItem(fixture, otherKeyId, 'theirs');
    const keyArn = `arn:aws:kms:us-east-1:000000000000:key/${keyId}`;

    // Act
    const events = await lookup(fixture.cloudTrail, {
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyArn }],
    });

    // Assess
    expect(events.map((event) => event.EventName)).toEqual(['Decrypt', 'Encrypt']);
    expect(events.map((event) => recordOf(event).requestParameters.encryptionContext)).toEqual([
      { itemId: 'mine' },
      { itemId: 'mine' },
    ]);
  });

  it('records GenerateDataKey and Sign calls beside Encrypt and Decrypt', async () => {
    // Prepare
    await fixture.kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { itemId: 'dk' } }));
    const { KeyMetadata: signingKey } = await fixture.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    await fixture.kms.send(
      new SignCommand({ KeyId: signingKey?.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
    );

    // Act
    const events = await lookup(fixture.cloudTrail, {
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }],
    });

    // Assess
    expect(events.map((event) => event.EventName)).toEqual(['Sign', 'GenerateDataKey']);
    expect(recordOf(events[1]).requestParameters.encryptionContext).toEqual({ itemId: 'dk' });
  });

  it.each<[string, LookupEventsCommandInput]>([
    [
      'InvalidLookupAttributesException',
      {
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'Decrypt' },
          { AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' },
        ],
      },
    ],
    ['InvalidMaxResultsException', { MaxResults: 51 }],
    ['InvalidTimeRangeException', { StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }],
  ])('answers %s to a lookup it cannot serve', async (errorName, input) => {
    // Act
    const attempt = fixture.cloudTrail.send(new LookupEventsCommand(input));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: errorName });
  });
});
