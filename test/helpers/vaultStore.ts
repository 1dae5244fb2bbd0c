import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamo';
import { ITEM } from '../../shared/store/keys';
import { VAULT_TABLE } from '../../shared/store/tables';
import type { TestVault } from './vault';

/*
 * What a test vault holds, read behind the API's back: the vault table's items in DynamoDB Local and
 * the KMS emulator's trail. Lets a test say "nothing changed" and "nothing was decrypted" by looking.
 */

function documentClient(vault: TestVault) {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ region: LOCAL_REGION, endpoint: vault.stack.dynamoDbEndpoint, credentials: LOCAL_CREDENTIALS }));
}

/** Every item of a secret (META, SEED, RECOVERY), read consistently, sorted by sort key. */
export async function secretItems(vault: TestVault, secretId: string): Promise<Record<string, unknown>[]> {
  const db = documentClient(vault);
  try {
    const out = await db.send(
      new QueryCommand({
        TableName: vault.stack.tableName(VAULT_TABLE),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ITEM.secret(secretId).pk },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  } finally {
    db.destroy();
  }
}

/** The item reserving a path, or undefined. */
export async function pathItem(vault: TestVault, path: string): Promise<Record<string, unknown> | undefined> {
  const db = documentClient(vault);
  try {
    return (await db.send(new GetCommand({ TableName: vault.stack.tableName(VAULT_TABLE), Key: ITEM.path(path), ConsistentRead: true }))).Item;
  } finally {
    db.destroy();
  }
}

/** KMS Decrypt calls in the emulator's trail so far (`<dataDir>/kms/cloudtrail.jsonl`), by the vault's handlers or anyone. */
export async function kmsDecrypts(vault: TestVault): Promise<number> {
  let text = '';
  try {
    text = await readFile(join(vault.dataDir, 'kms', 'cloudtrail.jsonl'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return text.split('\n').filter((line) => line.includes('"eventName":"Decrypt"')).length;
}
