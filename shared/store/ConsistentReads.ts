import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = { pk: string; sk: string };
type Item = Record<string, unknown>;

interface Pending {
  key: Key;
  resolve: (item: Item | undefined) => void;
  reject: (error: unknown) => void;
}

/** BatchGetItem takes at most 100 keys. */
const MAX_BATCH_KEYS = 100;
/** Rounds for keys DynamoDB left unprocessed (throttling) before the read fails. */
const MAX_UNPROCESSED_ROUNDS = 5;
const UNPROCESSED_BACKOFF_MS = 20;

/**
 * Strongly consistent reads of single items in one table. Reads asked for in the same turn of the
 * event loop go out together as one BatchGetItem: a request's decision reads (the policy-set
 * version and the secret) cost one round trip instead of two, and one call of the table's
 * capacity instead of two. A read asked for alone is a plain GetItem.
 *
 * @example
 * const reads = new ConsistentReads(db, config.tables.vault);
 * const [version, secret] = await Promise.all([reads.get(ITEM.policySet()), reads.get(ITEM.secret(id))]);
 */
export class ConsistentReads {
  private pending: Pending[] = [];

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The item at `key`, or undefined when there is none. */
  get(key: Key): Promise<Item | undefined> {
    return new Promise((resolve, reject) => {
      // setImmediate, not a microtask: callers a few awaits deep in the same turn still join the batch.
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ key: { pk: key.pk, sk: key.sk }, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const waiting = new Map<string, Pending[]>();
    for (const read of batch) {
      const id = keyId(read.key);
      waiting.set(id, [...(waiting.get(id) ?? []), read]);
    }
    const keys = [...waiting.values()].map((reads) => (reads[0] as Pending).key);
    for (let i = 0; i < keys.length; i += MAX_BATCH_KEYS) {
      const chunk = keys.slice(i, i + MAX_BATCH_KEYS);
      this.read(chunk).then(
        (items) => {
          for (const key of chunk) for (const read of waiting.get(keyId(key)) ?? []) read.resolve(items.get(keyId(key)));
        },
        (error: unknown) => {
          for (const key of chunk) for (const read of waiting.get(keyId(key)) ?? []) read.reject(error);
        },
      );
    }
  }

  private async read(keys: Key[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    if (keys.length === 1) {
      const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys[0], ConsistentRead: true }));
      if (out.Item) found.set(keyId(keys[0] as Key), out.Item);
      return found;
    }
    let left: Key[] = keys;
    for (let round = 0; left.length > 0; round++) {
      if (round === MAX_UNPROCESSED_ROUNDS) throw new Error(`DynamoDB left ${left.length} read(s) unprocessed after ${round} rounds`);
      if (round > 0) await new Promise((wake) => setTimeout(wake, UNPROCESSED_BACKOFF_MS * 2 ** round));
      const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: left, ConsistentRead: true } } }));
      for (const item of out.Responses?.[this.table] ?? []) found.set(keyId(item as Key), item);
      left = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Key[];
    }
    return found;
  }
}

function keyId(key: Key): string {
  return JSON.stringify([key.pk, key.sk]);
}
