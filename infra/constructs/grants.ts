import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PARTITIONS_OF } from '../../shared/store/keys';
import type { AuditArchive } from './auditArchive';
import type { VaultLambda } from './vaultLambda';

/**
 * What DynamoDB needs from the table key on a caller's behalf when the caller reads or writes a
 * table (or reads a stream) encrypted with a customer-managed key: the explicit forms of the
 * `ReEncrypt*`/`GenerateDataKey*` family CDK's own table grants use. Only through DynamoDB.
 */
export const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** The table key, usable only by DynamoDB on the caller's behalf. */
export function tableKeyViaDynamoDb(tableKey: IKey): PolicyStatement {
  return new PolicyStatement({
    sid: 'TableKeyViaDynamoDb',
    actions: [...TABLE_KEY_ACTIONS],
    resources: [tableKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(tableKey).region}.amazonaws.com` } },
  });
}

/**
 * The refusal windows (`REFUSALS#…` items of the vault table), and no other item: a statement for the
 * people authorizer (count a refusal) or the sweeper (read and delete closed windows).
 *
 * @param sid - Statement id.
 * @param actions - What the role may do with windows.
 * @param vaultTable - The vault table.
 */
export function refusalWindowStatement(sid: string, actions: readonly string[], vaultTable: ITable): PolicyStatement {
  return new PolicyStatement({
    sid,
    actions: [...actions],
    resources: [vaultTable.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [PARTITIONS_OF.refusalWindow] } },
  });
}

/** Acknowledges the per-prefix object grants on the archive bucket for one function's role. */
export function acknowledgeArchiveObjects(lambda: VaultLambda, archive: AuditArchive, what: string): void {
  const bucketId = Stack.of(archive).getLogicalId(archive.bucket.node.defaultChild as CfnElement);
  for (const prefix of archive.objectPrefixes) {
    Validations.of(lambda.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
      reason: `Archive objects are keyed by day under ${prefix}, so the grant is on that prefix of the archive bucket only: ${what}.`,
    });
  }
}
