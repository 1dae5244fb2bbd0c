import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ITEM, KIND } from '../store/keys';
import { VAULT_TABLE } from '../store/tables';
import { queryAll } from '../store/queryAll';
import { transactWrite, type TransactWriteItem } from '../store/transactions';
import type { Template } from './model';

/** Custom templates in the vault table (built-in ones live in code). */
export class TemplateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<Template | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.template(id), ConsistentRead: true }));
    return out.Item ? toTemplate(out.Item) : undefined;
  }

  async list(): Promise<Template[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: VAULT_TABLE.indexes[0].name,
      KeyConditionExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':kind': KIND.template },
    });
    return items.map(toTemplate);
  }

  /**
   * Writes the template with its audit event, in one transaction: a new one only where none exists
   * (`previousVersion` undefined), a changed one only while it is still at `previousVersion` and not retired.
   */
  async put(template: Template, previousVersion: number | undefined, audit: TransactWriteItem): Promise<void> {
    const condition =
      previousVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            // Items from before versions have none: they are at version 1.
            ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(retiredAt) AND (#v = :v${previousVersion === 1 ? ' OR attribute_not_exists(#v)' : ''})`,
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': previousVersion },
          };
    await transactWrite(this.db, [
      { Put: { TableName: this.table, Item: { ...ITEM.template(template.id), kind: KIND.template, sortKey: template.id, ...template }, ...condition } },
      audit,
    ]);
  }
}

function toTemplate(item: Record<string, unknown>): Template {
  const { pk: _pk, sk: _sk, kind: _kind, sortKey: _sortKey, ...rest } = item;
  return rest as unknown as Template;
}
