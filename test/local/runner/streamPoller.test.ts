import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localDynamoDbClient } from '../../../local/dynamo';
import { ensureTables } from '../../../local/dynamoTables';
import { startStreamPoller, type StreamHandler, type StreamPoller, type StreamPollerOptions } from '../../../local/streamPoller';
import type { TableDefinition } from '../../../shared/store/tables';
import { EVENTS_TABLE } from '../../../shared/store/tables';
import { fixtureDynamoDb, type FixtureDynamoDb } from '../../helpers/sharedDynamoDb';
import { tempDataDir } from './helpers';

// The local event source mapping against DynamoDB Local, with handlers that record what they get.
let dynamo: FixtureDynamoDb;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await fixtureDynamoDb(tempDataDir('streams'));
  client = localDynamoDbClient(dynamo.endpoint);
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

/** A fresh table shaped like the outbox (stream NEW_IMAGE), so each test reads only its own stream. */
async function freshOutbox(): Promise<string> {
  const definition: TableDefinition = { ...EVENTS_TABLE, localName: dynamo.tableName(`outbox-test-${++tables}`) };
  await ensureTables(dynamo.endpoint, { tables: [definition] });
  return definition.localName;
}

async function putEvents(table: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    await client.send(new PutItemCommand({ TableName: table, Item: { eventId: { S: id }, target: { M: {} }, status: { N: '200' } } }));
  }
}

/** A handler that records each event and answers with `answer(records, call)` (success by default). */
function recordingHandler(answer: (records: DynamoDBRecord[], call: number) => DynamoDBBatchResponse | Error = () => ({ batchItemFailures: [] })) {
  const calls: DynamoDBStreamEvent[] = [];
  const handler: StreamHandler = async (event) => {
    calls.push(event);
    const result = answer(event.Records, calls.length);
    if (result instanceof Error) throw result;
    return result;
  };
  const ids = () => calls.map((event) => event.Records.map((record) => record.dynamodb?.NewImage?.eventId?.S));
  return { handler, calls, ids };
}

async function poll(table: string, dataDir: string, handler: StreamHandler, options: Partial<StreamPollerOptions> = {}): Promise<StreamPoller> {
  return startStreamPoller({ endpoint: dynamo.endpoint, tableName: table, dataDir, functionName: 'testConsumer', loadHandler: async () => handler, batchWindowMs: 20, ...options });
}

describe('the local stream poller', () => {
  it('hands every new record to the handler once, in order, as a Lambda stream event', async () => {
    // Prepare
    const table = await freshOutbox();
    const recorder = recordingHandler();
    const poller = await poll(table, tempDataDir('poller'), recorder.handler);
    // Act
    await putEvents(table, ['e1', 'e2', 'e3']);
    await poller.flush();
    await poller.stop();
    // Assess
    expect(recorder.ids().flat()).toEqual(['e1', 'e2', 'e3']);
    const [record] = recorder.calls[0]!.Records;
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: expect.stringContaining(`table/${table}/stream/`),
      dynamodb: {
        Keys: { eventId: { S: 'e1' } },
        NewImage: { eventId: { S: 'e1' }, target: { M: {} }, status: { N: '200' } },
        SequenceNumber: expect.any(String),
        StreamViewType: 'NEW_IMAGE',
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
  });

  it('retries from the first record the handler reports as failed', async () => {
    // Prepare
    const table = await freshOutbox();
    const recorder = recordingHandler((records, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber! }] } : { batchItemFailures: [] },
    );
    await putEvents(table, ['e1', 'e2', 'e3']);
    // Act
    const poller = await poll(table, tempDataDir('poller'), recorder.handler);
    await poller.flush();
    await poller.stop();
    // Assess
    expect(recorder.ids()).toEqual([
      ['e1', 'e2', 'e3'],
      ['e2', 'e3'],
    ]);
  });

  it('hands the whole batch again when the handler throws', async () => {
    // Prepare
    const table = await freshOutbox();
    const recorder = recordingHandler((_records, call) => (call === 1 ? new Error('injected') : { batchItemFailures: [] }));
    await putEvents(table, ['e1', 'e2']);
    // Act
    const poller = await poll(table, tempDataDir('poller'), recorder.handler);
    await poller.flush();
    await poller.stop();
    // Assess
    expect(recorder.ids()).toEqual([
      ['e1', 'e2'],
      ['e1', 'e2'],
    ]);
  });

  it('goes on after its checkpoint when started again on the same data directory', async () => {
    // Prepare
    const table = await freshOutbox();
    const dataDir = tempDataDir('poller');
    const first = recordingHandler();
    const before = await poll(table, dataDir, first.handler);
    await putEvents(table, ['e1', 'e2']);
    await before.flush();
    await before.stop();
    await putEvents(table, ['e3']);
    const second = recordingHandler();
    // Act
    const after = await poll(table, dataDir, second.handler);
    await after.flush();
    await after.stop();
    // Assess
    expect(first.ids().flat()).toEqual(['e1', 'e2']);
    expect(second.ids().flat()).toEqual(['e3']);
  });

  it('sets a batch aside in failed-batches.jsonl once its retries are used up, and goes on', async () => {
    // Prepare
    const table = await freshOutbox();
    const dataDir = tempDataDir('poller');
    const recorder = recordingHandler((records) =>
      records[0]?.dynamodb?.NewImage?.eventId?.S === 'poison' ? new Error('injected: poison record') : { batchItemFailures: [] },
    );
    const poller = await poll(table, dataDir, recorder.handler, { retryAttempts: 2, batchSize: 1 });
    // Act
    await putEvents(table, ['poison', 'e2']);
    await poller.flush();
    await poller.stop();
    // Assess
    expect(recorder.ids()).toEqual([['poison'], ['poison'], ['poison'], ['e2']]);
    const failed = (await readFile(join(dataDir, 'streams', 'failed-batches.jsonl'), 'utf8')).trim().split('\n');
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0]!).event.Records[0].dynamodb.NewImage.eventId).toEqual({ S: 'poison' });
  });

  it('waits out its batching window after a batch that was not full, unless a flush comes', async () => {
    // Prepare: the first batch's handler writes the next record, so it is there the moment the batch ends.
    const table = await freshOutbox();
    const recorder = recordingHandler();
    const handler: StreamHandler = async (event, context) => {
      if (recorder.calls.length === 0) await putEvents(table, ['e2']);
      return recorder.handler(event, context);
    };
    await putEvents(table, ['e1']);
    const poller = await poll(table, tempDataDir('poller'), handler, { batchWindowMs: 60_000 });
    // Act
    await until(() => recorder.calls.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beforeFlush = recorder.ids();
    await poller.flush();
    await poller.stop();
    // Assess: e2 waited for the window (read at once, it would be in its own batch already)
    expect(beforeFlush).toEqual([['e1']]);
    expect(recorder.ids()).toEqual([['e1'], ['e2']]);
  });

  it('reads on at once after a full batch, without waiting for its window', async () => {
    // Prepare
    const table = await freshOutbox();
    const recorder = recordingHandler();
    await putEvents(table, ['e1', 'e2', 'e3', 'e4', 'e5']);
    // Act: no flush; the window is longer than the test
    const poller = await poll(table, tempDataDir('poller'), recorder.handler, { batchWindowMs: 60_000, batchSize: 2 });
    await until(() => recorder.ids().flat().length === 5);
    await poller.stop();
    // Assess
    expect(recorder.ids()).toEqual([['e1', 'e2'], ['e3', 'e4'], ['e5']]);
  });
});

/** Resolves once `done()` holds (checked every 10 ms); fails the test after 20 s. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 20_000) throw new Error('the condition did not hold within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
