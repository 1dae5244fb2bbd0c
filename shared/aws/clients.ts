import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import type { VaultConfig } from '../config/vaultConfig';

/** SDK clients; endpoints are overridden only by the local runner. */
export function createDocumentClient(config: VaultConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ region: config.region, endpoint: config.endpoints.dynamoDb, maxAttempts: 3 });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export function createKmsClient(config: VaultConfig): KMSClient {
  return new KMSClient({ region: config.region, endpoint: config.endpoints.kms, maxAttempts: 3 });
}
