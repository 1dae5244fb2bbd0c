import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '../aws/runtimeModules';
import { ITEM } from '../store/keys';
import type { Handout } from './model';


/** The item outlives its step by this long, then TTL removes it (it only matters within the step). */
const KEEP_SECONDS = 24 * 60 * 60;

/**
 * The per-secret "last handed out" item behind the reuse warning (many sites refuse a TOTP code
 * already used in its step, RFC 6238 section 5.2). The item is read with the request's decision
 * (`SecretStore.getLastCode`); when that read finds the step free, one conditional update records the
 * first handout of the step, or fails and returns the one recorded meanwhile. No scan.
 */
export class CodeHandouts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Records `handout` as the first of its step.
   *
   * @returns `undefined` when it is the first; otherwise the handout that came first in this step
   */
  async claim(secretId: string, handout: Handout, stepEndsMs: number): Promise<Handout | undefined> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ITEM.lastCode(secretId),
          UpdateExpression: 'SET #t = :t, #p = :p, #a = :a, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(#t) OR #t < :t',
          ExpressionAttributeNames: { '#t': 'timeStep', '#p': 'principal', '#a': 'at', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':t': handout.timeStep, ':p': handout.principal, ':a': handout.at, ':ttl': Math.ceil(stepEndsMs / 1000) + KEEP_SECONDS },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const first = error.Item ? (unmarshall(error.Item) as Partial<Handout>) : await this.current(secretId);
      // A later step already recorded (a caller with a clock ahead): nothing to warn about for this one.
      return first?.timeStep === handout.timeStep ? (first as Handout) : undefined;
    }
  }

  /**
   * Takes back a claim whose code was never handed out (the audit write or the decryption failed),
   * so the next caller is not warned about a code nobody saw. Only if the item is still this claim.
   */
  async release(secretId: string, handout: Handout): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: ITEM.lastCode(secretId),
          ConditionExpression: '#t = :t AND #p = :p AND #a = :a',
          ExpressionAttributeNames: { '#t': 'timeStep', '#p': 'principal', '#a': 'at' },
          ExpressionAttributeValues: { ':t': handout.timeStep, ':p': handout.principal, ':a': handout.at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async current(secretId: string): Promise<Partial<Handout> | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.lastCode(secretId), ConsistentRead: true }));
    return out.Item as Partial<Handout> | undefined;
  }
}
