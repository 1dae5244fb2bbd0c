import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../store/queryAll';

/**
 * The archive's bookkeeping, in its own partition of the audit table (`pk = LEDGER#archive`, never
 * a `DAY#` partition and without index attributes, so audit queries never see it):
 * - `sk = HEAD`: the newest digest (key, SHA-256, sequence number and its full text, so a digest
 *   whose upload was interrupted can be written again);
 * - `sk = PENDING#<object key>`: an archive object announced before it is uploaded and not yet in a
 *   digest. Announcing first means an object that exists was always announced, so it is either
 *   still pending or already in a digest: none is ever left out of the chain.
 * The head only moves with a condition on its sequence number, so two writers can never fork the chain.
 */
export const LEDGER_PARTITION = 'LEDGER#archive';
const HEAD_SORT_KEY = 'HEAD';
const PENDING_PREFIX = 'PENDING#';

/** The newest digest. */
export interface LedgerHead {
  seq: number;
  key: string;
  sha256: string;
  /** ISO time of the digest. */
  time: string;
  /** The digest's stored text. */
  document: string;
}

/** An archive object announced for upload and not yet in a digest. */
export interface PendingObject {
  key: string;
  contentSha256: string;
  events: number;
  firstEventId: string;
  lastEventId: string;
  /** Epoch ms of the announcement. */
  announcedAt: number;
}

export interface LedgerState {
  head?: LedgerHead;
  pending: PendingObject[];
}

/** The head moved under us: another writer sealed first. The batch is retried and seals again. */
export class LedgerConflictError extends Error {
  constructor(expectedSeq: number | undefined) {
    super(`the archive ledger head is no longer at digest ${expectedSeq ?? '(none)'}; another writer sealed first`);
    this.name = 'LedgerConflictError';
  }
}

/** Items one transaction may hold (DynamoDB's limit is 100; one is the head). */
export const MAX_SETTLED_PER_DIGEST = 99;

export class ArchiveLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Announces objects about to be uploaded (idempotent: a key names one content). */
  async announce(objects: readonly PendingObject[]): Promise<void> {
    for (const object of objects) {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: LEDGER_PARTITION, sk: `${PENDING_PREFIX}${object.key}`, ...object },
        }),
      );
    }
  }

  /** Head and pending objects, read consistently. */
  async state(): Promise<LedgerState> {
    const state: LedgerState = { pending: [] };
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': LEDGER_PARTITION },
      ConsistentRead: true,
    });
    for (const item of items) {
      if (item.sk === HEAD_SORT_KEY) state.head = headOf(item);
      else if (typeof item.sk === 'string' && item.sk.startsWith(PENDING_PREFIX)) state.pending.push(pendingOf(item));
    }
    state.pending.sort((a, b) => a.announcedAt - b.announcedAt || (a.key < b.key ? -1 : 1));
    return state;
  }

  /**
   * Moves the head to a new digest and removes the pending objects it settled, in one transaction,
   * only if the head is still at `expectedSeq` (undefined: no digest yet).
   *
   * @throws LedgerConflictError when another writer moved the head first.
   */
  async advance(expectedSeq: number | undefined, head: LedgerHead, settledKeys: readonly string[]): Promise<void> {
    if (settledKeys.length > MAX_SETTLED_PER_DIGEST) throw new Error(`at most ${MAX_SETTLED_PER_DIGEST} objects per digest`);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: LEDGER_PARTITION, sk: HEAD_SORT_KEY, ...head },
                ...(expectedSeq === undefined
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: '#seq = :expected',
                      ExpressionAttributeNames: { '#seq': 'seq' },
                      ExpressionAttributeValues: { ':expected': expectedSeq },
                    }),
              },
            },
            ...settledKeys.map((key) => ({
              Delete: { TableName: this.tableName, Key: { pk: LEDGER_PARTITION, sk: `${PENDING_PREFIX}${key}` } },
            })),
          ],
        }),
      );
    } catch (error) {
      const conflict =
        error instanceof TransactionCanceledException && (error.CancellationReasons ?? [])[0]?.Code === 'ConditionalCheckFailed';
      if (conflict) throw new LedgerConflictError(expectedSeq);
      throw error;
    }
  }

  /** Forgets announcements whose upload never happened (see `ArchiveWriter.seal`). */
  async forget(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 100) {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: keys
            .slice(i, i + 100)
            .map((key) => ({ Delete: { TableName: this.tableName, Key: { pk: LEDGER_PARTITION, sk: `${PENDING_PREFIX}${key}` } } })),
        }),
      );
    }
  }
}

function headOf(item: Record<string, unknown>): LedgerHead {
  return {
    seq: Number(item.seq),
    key: String(item.key),
    sha256: String(item.sha256),
    time: String(item.time),
    document: String(item.document),
  };
}

function pendingOf(item: Record<string, unknown>): PendingObject {
  return {
    key: String(item.key),
    contentSha256: String(item.contentSha256),
    events: Number(item.events),
    firstEventId: String(item.firstEventId),
    lastEventId: String(item.lastEventId),
    announcedAt: Number(item.announcedAt),
  };
}
