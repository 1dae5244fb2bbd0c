import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../../shared/store/tables';

export interface VaultTablesProps {
  /** Table definitions to build, one table each (`TABLES` from `shared/store/tables`). */
  readonly definitions: readonly TableDefinition[];
  /** Customer-managed key for encryption at rest. */
  readonly encryptionKey: IKey;
}

const ATTRIBUTE_TYPES: Record<KeyAttribute['type'], AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

const STREAM_VIEWS: Record<NonNullable<TableDefinition['stream']>, StreamViewType> = {
  NEW_IMAGE: StreamViewType.NEW_IMAGE,
  NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES,
};

const attribute = (key: KeyAttribute): Attribute => ({ name: key.name, type: ATTRIBUTE_TYPES[key.type] });

/**
 * One DynamoDB table per definition: on-demand, point-in-time recovery, encrypted with the table key,
 * deletion-protected and retained when the stack goes. Keys, indexes, stream and TTL come only from
 * the definition, so the local runner and the cloud build the same tables.
 */
export class VaultTables extends Construct {
  private readonly byId = new Map<string, Table>();

  constructor(scope: Construct, id: string, props: VaultTablesProps) {
    super(scope, id);
    for (const definition of props.definitions) {
      const table = new Table(this, definition.id, {
        partitionKey: attribute(definition.partitionKey),
        sortKey: definition.sortKey && attribute(definition.sortKey),
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.encryptionKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        stream: definition.stream && STREAM_VIEWS[definition.stream],
        timeToLiveAttribute: definition.ttlAttribute,
      });
      for (const index of definition.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey && attribute(index.sortKey),
          projectionType: ProjectionType.ALL,
        });
      }
      this.byId.set(definition.id, table);
    }
  }

  /** The table built from `definition`; throws for a definition this construct was not given. */
  tableFor(definition: Pick<TableDefinition, 'id'>): Table {
    const table = this.byId.get(definition.id);
    if (!table) throw new Error(`no table was built for definition ${definition.id}`);
    return table;
  }

  /** Every table with its definition id, in definition order. */
  entries(): [string, Table][] {
    return [...this.byId.entries()];
  }
}
