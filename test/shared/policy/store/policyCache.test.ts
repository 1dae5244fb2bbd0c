import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditOutbox } from '../../../../shared/audit/AuditOutbox';
import { RequestAudit } from '../../../../shared/audit/RequestAudit';
import { PolicyAdmin, PolicyCache, PolicyStore, type PolicySet } from '../../../../shared/policy/store';
import { EVENTS_TABLE, VAULT_TABLE } from '../../../../shared/store/tables';
import { LocalUserDirectory, LocalUserRegistry, localUsersDir } from '../../../../shared/users/LocalUserRegistry';
import type { UserDirectory } from '../../../../shared/users/UserDirectory';
import { startTestVault, type TestVault } from '../../../helpers/vault';

// The policy store and the engine cache against DynamoDB Local (the local stack's).
let vault: TestVault;
let db: DynamoDBDocumentClient;
let store: PolicyStore;
let admin: PolicyAdmin;
let users: UserDirectory;
const calls: string[] = [];

beforeAll(async () => {
  vault = await startTestVault();
  const client = new DynamoDBClient({ endpoint: vault.stack.dynamoDbEndpoint, region: 'us-east-1' });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  db = DynamoDBDocumentClient.from(client);
  store = new PolicyStore(db, vault.stack.tableName(VAULT_TABLE));
  users = new LocalUserDirectory(new LocalUserRegistry(localUsersDir(vault.dataDir)));
  admin = new PolicyAdmin(store, users);
});
afterAll(async () => {
  db?.destroy();
  await vault?.stop();
});

let requests = 0;
const change = () => ({
  by: 'user:alice',
  nowMs: Date.now(),
  audit: new RequestAudit(
    new DynamoAuditOutbox(db, vault.stack.tableName(EVENTS_TABLE)),
    { requestId: `cache-test-${++requests}`, operation: 'createPolicy', action: 'policy:manage', sourceIp: '127.0.0.1', userAgent: 'jest' },
    () => Date.now(),
  ),
});
const codesFor = (user: string) => ({ name: `${user} codes`, effect: 'allow' as const, principals: [`user:${user}`], resources: ['/ops/**'], actions: ['otp:generate' as const] });
const ctx = (user: string) => ({ principal: `user:${user}`, groups: [], timeMs: Date.now() });

describe('the policy engine cache', () => {
  it('reads only the policy-set version, once per call, while nothing changes', async () => {
    // Prepare
    const cache = new PolicyCache(store);
    const first = await cache.current();
    calls.length = 0;
    // Act
    const again = [await cache.current(), await cache.current(), await cache.current()];
    // Assess
    expect(calls).toEqual(['GetItemCommand', 'GetItemCommand', 'GetItemCommand']);
    expect(again.every((set) => set === first)).toBe(true);
    expect(cache.loadCount).toBe(1);
  });

  it('reloads on the first call after a change and decides with the new policy', async () => {
    // Prepare
    const cache = new PolicyCache(store);
    const before = await cache.current();
    // Act
    await admin.create(codesFor('olga'), change());
    const after = await cache.current();
    // Assess
    expect(cache.loadCount).toBe(2);
    expect(after.version).toBe(before.version + 1);
    expect(before.engine.decide(ctx('olga'), 'otp:generate', '/ops/db').allowed).toBe(false);
    expect(after.engine.decide(ctx('olga'), 'otp:generate', '/ops/db').allowed).toBe(true);
  });

  it('shares one reload between concurrent callers', async () => {
    // Prepare
    const cache = new PolicyCache(store);
    // Act
    const sets = await Promise.all([cache.current(), cache.current(), cache.current()]);
    // Assess
    expect(cache.loadCount).toBe(1);
    expect(new Set(sets).size).toBe(1);
  });
});

describe('the policy store', () => {
  it('bumps the policy-set version with every change, in the same transaction as the audit event', async () => {
    // Prepare
    const before = await store.version();
    const audited = change();
    // Act
    const created = await admin.create(codesFor('pia'), audited);
    await admin.replace(created.id, { ...codesFor('pia'), actions: ['secret:read'] }, change());
    await admin.delete(created.id, change());
    // Assess
    expect(await store.version()).toBe(before + 3);
    expect(audited.audit.recorded).toBe(true);
    expect((await store.load()).policies.map((p) => p.id)).not.toContain(created.id);
  });

  it('refuses a change computed from a policy set that has changed since it was read', async () => {
    // Prepare: a second writer read the set before the first one changed it.
    const snapshot = await store.load();
    class StaleStore extends PolicyStore {
      override async load(): Promise<PolicySet> {
        return snapshot;
      }
    }
    await admin.create(codesFor('quinn'), change());
    const late = new PolicyAdmin(new StaleStore(db, vault.stack.tableName(VAULT_TABLE)), users);
    // Act
    const attempt = late.create(codesFor('rosa'), change());
    // Assess
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict', code: 'ConcurrentPolicyChange' });
    expect((await store.load()).policies.map((p) => p.name)).not.toContain('rosa codes');
  });
});
