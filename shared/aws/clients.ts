import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import type { VaultConfig } from '../config/vaultConfig';

/** Where a client connects: the region, and the endpoint overrides of the local runner. */
export type ClientConfig = Pick<VaultConfig, 'region'> & { endpoints: Pick<VaultConfig['endpoints'], 'dynamoDb' | 'kms'> };

/** SDK clients; endpoints are overridden only by the local runner. */
export function createDocumentClient(config: ClientConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ region: config.region, endpoint: config.endpoints.dynamoDb, maxAttempts: 3 });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export function createKmsClient(config: ClientConfig): KMSClient {
  return new KMSClient({ region: config.region, endpoint: config.endpoints.kms, maxAttempts: 3 });
}

/**
 * CloudTrail (LookupEvents, for audit reconciliation). Locally the KMS emulator answers it; in AWS
 * there is no override. LookupEvents allows two calls a second: throttled calls are retried.
 * Loaded on first use: only audit reconciliation calls CloudTrail, and importing the client at cold
 * start would cost every other function its load time (bench/bundles.ts).
 */
export async function createCloudTrailClient(config: Pick<VaultConfig, 'region' | 'endpoints'>): Promise<CloudTrailClient> {
  const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
  return new CloudTrailClient({ region: config.region, endpoint: config.endpoints.cloudTrail, maxAttempts: 5 });
}
