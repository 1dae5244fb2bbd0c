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

  async create(template: Template, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: { ...ITEM.template(template.id), kind: KIND.template, sortKey: template.id, ...template },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      audit,
    ]);
  }
}

function toTemplate(item: Record<string, unknown>): Template {
  const { pk: _pk, sk: _sk, kind: _kind, sortKey: _sortKey, ...rest } = item;
  return rest as unknown as Template;
}
