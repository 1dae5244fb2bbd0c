/**
 * The local twin of Lambda's DynamoDB Streams event source mapping: reads a table's stream from
 * DynamoDB Local and invokes a stream handler (the very `lambdas/<name>/handler.ts` CDK deploys)
 * with real-shaped events, shard by shard, in order.
 *
 * Like the mapping with `ReportBatchItemFailures`, a batch whose handler names failed records is
 * retried from the first of them; a handler that throws gets the whole batch again. After
 * `retryAttempts` retries the batch is written to `<dataDir>/streams/failed-batches.jsonl` (the
 * local on-failure destination) and skipped. Progress is checkpointed to
 * `<dataDir>/streams/<table>.json`, so a restart goes on where the last run stopped.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbClient } from './dynamo';
import { createLambdaHost } from './lambdaHost';
import { createShardReader } from './shardReader';
import { StreamCheckpoint } from './StreamCheckpoint';

/** A Lambda handler for DynamoDB stream events, as `lambdas/auditStreamConsumer/handler.ts` exports it. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

const DEFAULTS = {
  batchSize: 100,
  // Lambda reads a stream shard four times a second when the mapping sets no batching window.
  batchWindowMs: 250,
  retryAttempts: 10,
  flushTimeoutMs: 30_000,
} as const;

export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint. */
  endpoint: string;
  /** Table whose stream is read. */
  tableName: string;
  /** Checkpoints and failed batches go to `<dataDir>/streams/`. */
  dataDir: string;
  /** Loads the handler (called once, on the first batch). */
  loadHandler: () => Promise<StreamHandler>;
  /** Name of the function, for the Lambda context; also names the checkpoint when several consumers read one table. */
  functionName: string;
  /** The function's timeout, for the Lambda context (not enforced: a batch is never cut short). @default FUNCTION_DEFAULTS.timeoutSeconds */
  timeoutSeconds?: number;
  /** Checkpoint file name (`<dataDir>/streams/<name>.json`). @default tableName */
  checkpointName?: string;
  /** Most records per invocation. @default 100 */
  batchSize?: number;
  /**
   * The mapping's batching window (`MaximumBatchingWindowInSeconds`): after a batch that was not full,
   * or finding nothing, the next read waits this long, so records gather into fewer, fuller batches. A
   * full batch (a backlog) is followed at once, and so is a `flush`. @default 250
   */
  batchWindowMs?: number;
  /** Retries of a failing batch before it is set aside. @default 10 */
  retryAttempts?: number;
  /** Where problems are reported. @default nothing */
  log?: (line: string) => void;
}

/** What one pass over the shards found. */
interface Outcome {
  /** Every shard caught up and none failing. */
  clean: boolean;
  /** Some shard handed a batch over. */
  progressed: boolean;
  /** Some shard handed over a full batch: more is probably waiting. */
  backlog: boolean;
}

export interface StreamPoller {
  /**
   * Resolves once everything written to the table before the call has been handled (the handler
   * reported no failure and every shard is caught up).
   *
   * @throws Error when that has not happened within `timeoutMs` (e.g. the handler keeps failing).
   */
  flush(timeoutMs?: number): Promise<void>;
  /** Stops polling; waits for the batch in flight. Safe to call twice. */
  stop(): Promise<void>;
}


/**
 * Starts polling in the background.
 *
 * @param options - Table, handler and tuning.
 * @example
 * const poller = await startStreamPoller({ endpoint, tableName: 'otpvault-audit-outbox', dataDir,
 *   functionName: 'auditStreamConsumer', loadHandler: async () => (await import('../lambdas/auditStreamConsumer/handler')).handler });
 * await poller.flush();
 * await poller.stop();
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const dynamo = localDynamoDbClient(options.endpoint);
  const streams = new DynamoDBStreamsClient({ region: LOCAL_REGION, endpoint: options.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  const streamArn = await latestStreamArn(dynamo, options.tableName);
  const dir = resolve(options.dataDir, 'streams');
  await mkdir(dir, { recursive: true });
  const checkpoint = await StreamCheckpoint.open(join(dir, `${options.checkpointName ?? options.tableName}.json`), streamArn);
  let lastProblem = '';
  const log = (line: string) => {
    lastProblem = line;
    options.log?.(line);
  };
  const host = createLambdaHost<StreamHandler>({ load: () => options.loadHandler(), enforceTimeouts: false });

  let stopping = false;
  let cycles = 0;
  let wake: () => void = () => undefined;
  const waiters = new Set<{ after: number; resolve: () => void; reject: (error: Error) => void }>();

  const reader = createShardReader({
    streams,
    streamArn,
    checkpoint,
    invoke: (event) => host.invoke({ name: options.functionName, timeoutSeconds: options.timeoutSeconds }, event),
    functionName: options.functionName,
    batchSize: options.batchSize ?? DEFAULTS.batchSize,
    retryAttempts: options.retryAttempts ?? DEFAULTS.retryAttempts,
    failedBatchesFile: join(dir, 'failed-batches.jsonl'),
    log,
  });

  /** One pass over the shards a consumer may read now (parents finished first). */
  const cycle = async (): Promise<Outcome> => {
    const shards = await listShards(streams, streamArn);
    let clean = true;
    let progressed = false;
    let backlog = false;
    for (const shard of shards) {
      const id = shard.ShardId as string;
      if (checkpoint.finished(id)) continue;
      const parent = shard.ParentShardId;
      if (parent && shards.some((s) => s.ShardId === parent) && !checkpoint.finished(parent)) {
        clean = false;
        continue;
      }
      const { caughtUp, failing, full } = await reader.poll(shard);
      if (!caughtUp || failing) clean = false;
      if (!caughtUp && !failing) progressed = true;
      if (full) backlog = true;
    }
    return { clean, progressed, backlog };
  };

  const loop = (async () => {
    while (!stopping) {
      const number = ++cycles;
      let outcome: Outcome = { clean: false, progressed: false, backlog: false };
      try {
        outcome = await cycle();
      } catch (error) {
        log(`stream poller for ${options.tableName}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (outcome.clean) {
        for (const waiter of waiters) {
          if (number > waiter.after) {
            waiters.delete(waiter);
            waiter.resolve();
          }
        }
      }
      if (stopping) break;
      // Caught up, or a batch short of full handed over: the batching window. A full batch: a backlog, go
      // on at once. Waiting out a retry backoff: poll gently. A flush (even one that arrived during a
      // clean pass) wants one more pass, at once.
      const window = waiters.size > 0 ? 0 : (options.batchWindowMs ?? DEFAULTS.batchWindowMs);
      const pause = outcome.backlog ? 0 : outcome.clean || outcome.progressed ? window : 50;
      await new Promise<void>((resolveWait) => {
        const timer = setTimeout(resolveWait, pause);
        wake = () => {
          clearTimeout(timer);
          resolveWait();
        };
      });
    }
  })();

  let stopped: Promise<void> | undefined;
  return {
    flush: (timeoutMs = DEFAULTS.flushTimeoutMs) =>
      new Promise<void>((resolveFlush, rejectFlush) => {
        if (stopping) {
          rejectFlush(new Error('the stream poller has stopped'));
          return;
        }
        const waiter = {
          after: cycles,
          resolve: () => {
            clearTimeout(timer);
            resolveFlush();
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            rejectFlush(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const detail = lastProblem ? `; last problem: ${lastProblem}` : '';
          rejectFlush(new Error(`the stream of ${options.tableName} was not fully handled within ${timeoutMs} ms${detail}`));
        }, timeoutMs);
        waiters.add(waiter);
        wake();
      }),
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        wake();
        await loop;
        for (const waiter of waiters) waiter.reject(new Error('the stream poller stopped before the stream was fully handled'));
        waiters.clear();
        streams.destroy();
        dynamo.destroy();
      })();
      return stopped;
    },
  };
}

async function latestStreamArn(dynamo: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
  return Table.LatestStreamArn;
}

async function listShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
    shards.push(...(out.StreamDescription?.Shards ?? []));
    start = out.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}
