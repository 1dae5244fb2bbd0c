/**
 * Run by dynamoExitWithOwner.test.ts as a process of its own: starts an in-memory DynamoDB Local that
 * exits with its owner, with the tables, prints its java pid and what is on disk, then waits to be killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../../local/dynamo';
import { ensureTables } from '../../../local/dynamoTables';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: dynamoExitWithOwner.fixture.ts <dataDir>');
const dynamo = await startDynamoDbLocal({ dataDir, inMemory: true, exitWithOwner: true });
await ensureTables(dynamo.endpoint);
const { javaPid } = JSON.parse(readFileSync(join(dynamo.dbPath, 'dynamodb-local.pid'), 'utf8')) as { javaPid: number };
process.stdout.write(`${JSON.stringify({ javaPid, files: readdirSync(dynamo.dbPath) })}\n`);
// Never stops it: the test kills this process.
setInterval(() => undefined, 60_000);
