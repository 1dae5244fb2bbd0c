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
import { mkdir, readFile, rename, appendFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { buildLambdaContext } from './apiEvent';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbClient } from './dynamo';
import { toStreamEvent } from './streamEvent';

/** A Lambda handler for DynamoDB stream events, as `lambdas/auditStreamConsumer/handler.ts` exports it. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

const DEFAULTS = {
  batchSize: 100,
  idleMs: 200,
  retryAttempts: 10,
  retryBackoffMs: 100,
  maxBackoffMs: 2_000,
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
  /** Checkpoint file name (`<dataDir>/streams/<name>.json`). @default tableName */
  checkpointName?: string;
  /** Most records per invocation. @default 100 */
  batchSize?: number;
  /** Pause between polls when the stream is caught up. @default 200 */
  idleMs?: number;
  /** Retries of a failing batch before it is set aside. @default 10 */
  retryAttempts?: number;
  /** Where problems are reported. @default nothing */
  log?: (line: string) => void;
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

/** Progress per shard: the last sequence number handled, and whether a closed shard is finished. */
interface Checkpoint {
  streamArn: string;
  shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

interface ShardState {
  iterator?: string;
  /** Failed attempts of the batch at the head of the shard. */
  attempts: number;
  /** Earliest time of the next try after a failure. */
  notBefore: number;
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
  const checkpointFile = join(dir, `${options.checkpointName ?? options.tableName}.json`);
  const checkpoint = await readCheckpoint(checkpointFile, streamArn);
  let lastProblem = '';
  const log = (line: string) => {
    lastProblem = line;
    options.log?.(line);
  };
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const retryAttempts = options.retryAttempts ?? DEFAULTS.retryAttempts;
  const states = new Map<string, ShardState>();
  let handler: Promise<StreamHandler> | undefined;

  let stopping = false;
  let cycles = 0;
  let wake: () => void = () => undefined;
  const waiters = new Set<{ after: number; resolve: () => void; reject: (error: Error) => void }>();

  const saveCheckpoint = async () => {
    const temporary = `${checkpointFile}.tmp`;
    await writeFile(temporary, JSON.stringify(checkpoint));
    await rename(temporary, checkpointFile);
  };

  const iteratorFor = async (shardId: string, type: ShardIteratorType, sequenceNumber?: string): Promise<string | undefined> => {
    const out = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }));
    return out.ShardIterator;
  };

  const resumeIterator = (shardId: string) => {
    const last = checkpoint.shards[shardId]?.sequenceNumber;
    return last ? iteratorFor(shardId, 'AFTER_SEQUENCE_NUMBER', last) : iteratorFor(shardId, 'TRIM_HORIZON');
  };

  const invoke = async (records: StreamApiRecord[]): Promise<DynamoDBBatchResponse | void> => {
    if (!handler) {
      handler = options.loadHandler();
      // A failed import is tried again with the next batch (the file may be fixed meanwhile).
      handler.catch(() => {
        handler = undefined;
      });
    }
    const context = buildLambdaContext({ op: options.functionName, timeoutSeconds: 60 });
    return (await handler)(toStreamEvent(records, streamArn, LOCAL_REGION), context);
  };

  /** Handles one batch of a shard; true when the shard has nothing more right now. */
  const pollShard = async (shard: Shard): Promise<{ caughtUp: boolean; failing: boolean }> => {
    const shardId = shard.ShardId as string;
    const state = states.get(shardId) ?? { attempts: 0, notBefore: 0 };
    states.set(shardId, state);
    if (Date.now() < state.notBefore) return { caughtUp: false, failing: true };
    state.iterator ??= await resumeIterator(shardId);
    if (!state.iterator) return finish(shardId);
    let out;
    try {
      out = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: batchSize }));
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        state.iterator = undefined;
        return { caughtUp: false, failing: false };
      }
      throw error;
    }
    const records = out.Records ?? [];
    if (records.length === 0) {
      state.iterator = out.NextShardIterator;
      return out.NextShardIterator ? { caughtUp: true, failing: false } : finish(shardId);
    }

    let failedAt = records.length;
    try {
      const response = await invoke(records);
      const failures = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      if (failures.size > 0) {
        const index = records.findIndex((record) => failures.has(record.dynamodb?.SequenceNumber ?? ''));
        failedAt = index >= 0 ? index : 0;
      }
    } catch (error) {
      log(`stream handler ${options.functionName} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      failedAt = 0;
    }

    if (failedAt === records.length) {
      await advance(shardId, records[records.length - 1] as StreamApiRecord);
      state.iterator = out.NextShardIterator;
      state.attempts = 0;
      return { caughtUp: false, failing: false };
    }
    if (failedAt > 0) await advance(shardId, records[failedAt - 1] as StreamApiRecord);
    state.attempts++;
    const failed = records.slice(failedAt);
    if (state.attempts > retryAttempts) {
      await appendFile(join(dir, 'failed-batches.jsonl'), `${JSON.stringify({ time: new Date().toISOString(), streamArn, shardId, event: toStreamEvent(failed, streamArn, LOCAL_REGION) })}\n`);
      log(`stream handler ${options.functionName}: ${failed.length} records set aside after ${retryAttempts} retries (streams/failed-batches.jsonl)`);
      await advance(shardId, failed[failed.length - 1] as StreamApiRecord);
      state.iterator = undefined;
      state.attempts = 0;
      return { caughtUp: false, failing: true };
    }
    log(`stream handler ${options.functionName}: ${failed.length} records to retry (attempt ${state.attempts} of ${retryAttempts})`);
    state.iterator = await iteratorFor(shardId, 'AT_SEQUENCE_NUMBER', failed[0]?.dynamodb?.SequenceNumber);
    state.notBefore = Date.now() + Math.min(DEFAULTS.retryBackoffMs * 2 ** (state.attempts - 1), DEFAULTS.maxBackoffMs);
    return { caughtUp: false, failing: true };
  };

  const advance = async (shardId: string, record: StreamApiRecord) => {
    checkpoint.shards[shardId] = { sequenceNumber: record.dynamodb?.SequenceNumber };
    await saveCheckpoint();
  };

  const finish = async (shardId: string): Promise<{ caughtUp: boolean; failing: boolean }> => {
    checkpoint.shards[shardId] = { ...checkpoint.shards[shardId], finished: true };
    states.delete(shardId);
    await saveCheckpoint();
    return { caughtUp: true, failing: false };
  };

  /** One pass over the shards a consumer may read now (parents finished first). */
  const cycle = async (): Promise<{ clean: boolean; progressed: boolean }> => {
    const shards = await listShards(streams, streamArn);
    let clean = true;
    let progressed = false;
    for (const shard of shards) {
      const id = shard.ShardId as string;
      if (checkpoint.shards[id]?.finished) continue;
      const parent = shard.ParentShardId;
      if (parent && shards.some((s) => s.ShardId === parent) && !checkpoint.shards[parent]?.finished) {
        clean = false;
        continue;
      }
      const { caughtUp, failing } = await pollShard(shard);
      if (!caughtUp || failing) clean = false;
      if (!caughtUp && !failing) progressed = true;
    }
    return { clean, progressed };
  };

  const loop = (async () => {
    while (!stopping) {
      const number = ++cycles;
      let outcome = { clean: false, progressed: false };
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
      // Caught up: idle. Making progress: go on at once. Waiting out a retry backoff: poll gently.
      // A flush that arrived during a clean pass wants one more pass, at once.
      const idle = waiters.size > 0 ? 0 : (options.idleMs ?? DEFAULTS.idleMs);
      const pause = outcome.clean ? idle : outcome.progressed ? 0 : 50;
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

/** The saved checkpoint, or a fresh one when there is none or it belongs to an older stream. */
async function readCheckpoint(file: string, streamArn: string): Promise<Checkpoint> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as Checkpoint;
    if (saved.streamArn === streamArn && typeof saved.shards === 'object') return saved;
  } catch {
    // No checkpoint yet, or an unreadable one: start from the oldest record still in the stream.
  }
  return { streamArn, shards: {} };
}
