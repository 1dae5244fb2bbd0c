/**
 * Reads one shard of a DynamoDB stream a batch at a time and hands each batch to the stream
 * handler, the way Lambda's event source mapping does with `ReportBatchItemFailures`: a batch
 * whose handler names failed records is retried from the first of them (with backoff), one that
 * throws is retried whole, and after `retryAttempts` retries it is set aside in `failedBatchesFile`.
 */
import { appendFile } from 'node:fs/promises';
import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { LOCAL_REGION } from './dynamo';
import type { StreamCheckpoint } from './StreamCheckpoint';
import { toStreamEvent } from './streamEvent';

/** Pause before retrying a failed batch: doubles per attempt, capped. */
const BACKOFF = { firstMs: 100, maxMs: 2_000 } as const;

export interface ShardReaderDeps {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  checkpoint: StreamCheckpoint;
  /** Invokes the stream handler with one batch. */
  invoke(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse | void>;
  /** Named in log lines. */
  functionName: string;
  batchSize: number;
  retryAttempts: number;
  failedBatchesFile: string;
  log(line: string): void;
}

/** Where one shard stands. */
interface ShardState {
  iterator?: string;
  /** Failed attempts of the batch at the head of the shard. */
  attempts: number;
  /** Earliest time of the next try after a failure. */
  notBefore: number;
}

export interface ShardPoll {
  /** Nothing more to read in the shard right now. */
  caughtUp: boolean;
  /** The batch at the head of the shard is failing (waiting out a backoff, or just set aside). */
  failing: boolean;
  /** The read filled a whole batch: more records are probably waiting. */
  full?: boolean;
}

/**
 * @param deps - The stream, the checkpoint, the handler and the retry policy.
 * @example
 * const reader = createShardReader({ streams, streamArn, checkpoint, invoke, functionName, batchSize: 100, retryAttempts: 10, failedBatchesFile, log });
 * const { caughtUp } = await reader.poll(shard);
 */
export function createShardReader(deps: ShardReaderDeps): { poll(shard: Shard): Promise<ShardPoll> } {
  const states = new Map<string, ShardState>();

  const iteratorFor = async (shardId: string, type: ShardIteratorType, sequenceNumber?: string): Promise<string | undefined> => {
    const out = await deps.streams.send(new GetShardIteratorCommand({ StreamArn: deps.streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }));
    return out.ShardIterator;
  };

  const resumeIterator = (shardId: string) => {
    const last = deps.checkpoint.lastSequence(shardId);
    return last ? iteratorFor(shardId, 'AFTER_SEQUENCE_NUMBER', last) : iteratorFor(shardId, 'TRIM_HORIZON');
  };

  /** Handles one batch of a shard. */
  const pollShard = async (shard: Shard): Promise<ShardPoll> => {
    const shardId = shard.ShardId as string;
    const state = states.get(shardId) ?? { attempts: 0, notBefore: 0 };
    states.set(shardId, state);
    if (Date.now() < state.notBefore) return { caughtUp: false, failing: true };
    state.iterator ??= await resumeIterator(shardId);
    if (!state.iterator) return finish(shardId);
    let out;
    try {
      out = await deps.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: deps.batchSize }));
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
      const response = await deps.invoke(toStreamEvent(records, deps.streamArn, LOCAL_REGION));
      const failures = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      if (failures.size > 0) {
        const index = records.findIndex((record) => failures.has(record.dynamodb?.SequenceNumber ?? ''));
        failedAt = index >= 0 ? index : 0;
      }
    } catch (error) {
      deps.log(`stream handler ${deps.functionName} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      failedAt = 0;
    }

    if (failedAt === records.length) {
      await advance(shardId, records[records.length - 1] as StreamApiRecord);
      state.iterator = out.NextShardIterator;
      state.attempts = 0;
      return { caughtUp: false, failing: false, full: records.length >= deps.batchSize };
    }
    if (failedAt > 0) await advance(shardId, records[failedAt - 1] as StreamApiRecord);
    state.attempts++;
    const failed = records.slice(failedAt);
    if (state.attempts > deps.retryAttempts) {
      await appendFile(deps.failedBatchesFile, `${JSON.stringify({ time: new Date().toISOString(), streamArn: deps.streamArn, shardId, event: toStreamEvent(failed, deps.streamArn, LOCAL_REGION) })}\n`);
      deps.log(`stream handler ${deps.functionName}: ${failed.length} records set aside after ${deps.retryAttempts} retries (streams/failed-batches.jsonl)`);
      await advance(shardId, failed[failed.length - 1] as StreamApiRecord);
      state.iterator = undefined;
      state.attempts = 0;
      return { caughtUp: false, failing: true };
    }
    deps.log(`stream handler ${deps.functionName}: ${failed.length} records to retry (attempt ${state.attempts} of ${deps.retryAttempts})`);
    state.iterator = await iteratorFor(shardId, 'AT_SEQUENCE_NUMBER', failed[0]?.dynamodb?.SequenceNumber);
    state.notBefore = Date.now() + Math.min(BACKOFF.firstMs * 2 ** (state.attempts - 1), BACKOFF.maxMs);
    return { caughtUp: false, failing: true };
  };

  const advance = (shardId: string, record: StreamApiRecord) => deps.checkpoint.advance(shardId, record.dynamodb?.SequenceNumber);

  const finish = async (shardId: string): Promise<ShardPoll> => {
    states.delete(shardId);
    await deps.checkpoint.finish(shardId);
    return { caughtUp: true, failing: false };
  };

  return { poll: pollShard };
}
