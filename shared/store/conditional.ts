import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ConflictError } from '../errors';
import { isConditionFailure } from './transactions';

/**
 * An update that applies only if its condition holds: the item's attributes (as `ReturnValues`
 * asks), or `undefined` when the condition failed. Other failures throw.
 *
 * @example
 * const seed = await updateOrNothing(db, { TableName, Key, UpdateExpression: 'SET #c = #c + :one', ConditionExpression: 'attribute_exists(pk)', ... });
 */
export async function updateOrNothing(db: DynamoDBDocumentClient, input: UpdateCommandInput): Promise<Record<string, unknown> | undefined> {
  try {
    return (await db.send(new UpdateCommand(input))).Attributes;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Runs a conditional write (or a transaction) and turns a failed condition into the caller's
 * ConflictError (409); other failures throw unchanged.
 *
 * @param write - the write
 * @param conflict - the error a failed condition means here
 * @example
 * await orConflict(() => store.create(secret), () => new ConflictError(`a secret already exists at ${path}`, 'PathTaken'));
 */
export async function orConflict<T>(write: () => Promise<T>, conflict: () => ConflictError): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isConditionFailure(error)) throw conflict();
    throw error;
  }
}
