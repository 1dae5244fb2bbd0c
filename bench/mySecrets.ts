/**
 * `GET /v1/me/secrets` ("my secrets") through the local stack at 1,000 / 10,000 secrets and
 * 100 / 1,000 policies, for two callers: an admin (allowed under `/**`: the whole path index is
 * read) and a team member named by about 5 % of the policies (only the literal prefixes of its
 * allows are read). Beside each: the floor (one projected read of every path straight from
 * DynamoDB Local), `GET /v1/me` (the per-request policy check plus the summary) and the engine's
 * share (`permissionsFor` over the same paths, in process).
 *
 * Secrets are seeded as bare META items with BatchWriteItem; policies through the policy store,
 * each change bumping the policy-set version as in production.
 *
 * Run: npx tsx bench/mySecrets.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../local/stack';
import { DynamoAuditOutbox } from '../shared/audit/AuditOutbox';
import { RequestAudit } from '../shared/audit/RequestAudit';
import { PolicyEngine, type Policy, type RequestContext } from '../shared/policy/index';
import { PolicyStore, type PolicyRecord } from '../shared/policy/store/index';
import { SecretStore } from '../shared/secrets/SecretStore';
import { ITEM, KIND } from '../shared/store/keys';
import { EVENTS_TABLE, VAULT_TABLE } from '../shared/store/tables';
import { percentile, round, table } from './stats';
import { pick, seededRandom } from '../test/helpers/random';

export interface MySecretsFigure {
  secrets: number;
  policies: number;
  caller: 'admin' | 'team';
  /** Secrets in the answer, and secrets read to find them. */
  returned: number;
  examined: number;
  p50Ms: number;
  p90Ms: number;
  /** The same caller's `GET /v1/me`: authentication, the policy-set check, the summary. */
  meP50Ms: number;
  /** `permissionsFor` over every seeded path, in process (the engine's share; at most what the handler asks). */
  engineMs: number;
}

export interface MySecretsBenchFigures {
  cells: MySecretsFigure[];
  /** One projected Query of every path, straight from DynamoDB Local, per secret count. */
  floor: { secrets: number; p50Ms: number }[];
}

export interface MySecretsBenchOptions {
  /** Timed requests per caller and cell (after three warm-up requests). @default 15 */
  requests?: number;
  /** Print the tables. @default true */
  print?: boolean;
}

const ACCOUNTS = 50;
const ENVS = ['prod', 'dev', 'stage', 'prod-eu'];
const TEAM = { user: 'u0', groups: ['g0', 'g1'] };
const TEAM_PRINCIPALS = ['user:u0', 'group:g0', 'group:g1'];
const OTHER_PRINCIPALS = [...Array.from({ length: 150 }, (_, i) => `user:u${i + 1}`), ...Array.from({ length: 47 }, (_, i) => `group:g${i + 2}`)];

/** Measure, print and return the figures. */
export async function runMySecretsBench(options: MySecretsBenchOptions = {}): Promise<MySecretsBenchFigures> {
  const { requests = 15, print = true } = options;
  process.env.OTPVAULT_LOG_LEVEL = 'warn';
  const dataDir = mkdtempSync(join(tmpdir(), 'otpvault-bench-'));
  const stack = await startLocalStack({ dataDir, port: 0, quiet: true });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' }));
  try {
    const seeding = new Seeding(db);
    const tokens = {
      admin: await stack.issuer.signToken({ user: 'bench-admin', groups: ['admins'] }),
      team: await stack.issuer.signToken({ user: TEAM.user, groups: TEAM.groups }),
    };
    const figures: MySecretsBenchFigures = { cells: [], floor: [] };
    const measure = async () => {
      for (const caller of ['admin', 'team'] as const) {
        figures.cells.push(await measureCell(stack, seeding, caller, tokens[caller], requests));
      }
      if (!figures.floor.some((f) => f.secrets === seeding.secrets.length)) {
        figures.floor.push({ secrets: seeding.secrets.length, p50Ms: await floor(db, requests) });
      }
    };
    await seeding.addPolicies(100);
    await seeding.addSecrets(1_000);
    await measure();
    await seeding.addSecrets(9_000);
    await measure();
    await seeding.addPolicies(900);
    await measure();
    await seeding.removeSecrets(9_000);
    await measure();
    figures.cells.sort((a, b) => a.secrets - b.secrets || a.policies - b.policies || a.caller.localeCompare(b.caller));
    figures.floor.sort((a, b) => a.secrets - b.secrets);
    if (print) console.log(printMySecretsBench(figures));
    return figures;
  } finally {
    db.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureCell(stack: LocalStack, seeding: Seeding, caller: 'admin' | 'team', token: string, requests: number): Promise<MySecretsFigure> {
  const get = async (path: string) => {
    const started = performance.now();
    const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items?: unknown[]; examined?: number };
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  for (let i = 0; i < 3; i++) await get('/v1/me/secrets');
  const times: number[] = [];
  let last = { items: [] as unknown[], examined: 0 };
  for (let i = 0; i < requests; i++) {
    const { ms, body } = await get('/v1/me/secrets');
    times.push(ms);
    last = { items: body.items ?? [], examined: body.examined ?? 0 };
  }
  const me: number[] = [];
  for (let i = 0; i < requests; i++) me.push((await get('/v1/me')).ms);
  times.sort((a, b) => a - b);
  me.sort((a, b) => a - b);
  return {
    secrets: seeding.secrets.length,
    policies: seeding.policies.length,
    caller,
    returned: last.items.length,
    examined: last.examined,
    p50Ms: round(percentile(times, 50)),
    p90Ms: round(percentile(times, 90)),
    meP50Ms: round(percentile(me, 50)),
    engineMs: round(engineShare(seeding, caller), 2),
  };
}

/** `permissionsFor` over every path, as the handler runs it (median of five, after warming up). */
function engineShare(seeding: Seeding, caller: 'admin' | 'team'): number {
  const engine = new PolicyEngine(seeding.policies);
  const ctx: RequestContext =
    caller === 'admin'
      ? { principal: 'user:bench-admin', groups: ['admins'], sourceIp: '127.0.0.1', timeMs: Date.now() }
      : { principal: `user:${TEAM.user}`, groups: TEAM.groups, sourceIp: '127.0.0.1', timeMs: Date.now() };
  const paths = seeding.secrets.map((s) => s.path);
  const times: number[] = [];
  for (let i = 0; i < 8; i++) {
    const started = performance.now();
    engine.permissionsFor(ctx, paths);
    if (i >= 3) times.push(performance.now() - started);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

async function floor(db: DynamoDBDocumentClient, requests: number): Promise<number> {
  const store = new SecretStore(db, VAULT_TABLE.localName);
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await store.listPaths();
    times.push(performance.now() - started);
  }
  return round(percentile(times.sort((a, b) => a - b), 50));
}

/** What the bench has put into the vault table so far. */
class Seeding {
  readonly secrets: { id: string; path: string }[] = [];
  readonly policies: PolicyRecord[] = [];
  private readonly store: PolicyStore;
  private readonly outbox: DynamoAuditOutbox;
  /** Audit events of the policy writes, shaped like the API's (the local stack's stream consumer reads them). */
  private readonly audit: RequestAudit;
  private readonly random = seededRandom(42);

  constructor(private readonly db: DynamoDBDocumentClient) {
    this.store = new PolicyStore(db, VAULT_TABLE.localName);
    this.outbox = new DynamoAuditOutbox(db, EVENTS_TABLE.localName);
    this.audit = new RequestAudit(
      this.outbox,
      { requestId: 'bench-my-secrets', operation: 'createPolicy', action: 'policy:manage', sourceIp: '127.0.0.1', userAgent: 'bench/mySecrets' },
      () => Date.now(),
    );
  }

  async addSecrets(count: number): Promise<void> {
    const at = new Date().toISOString();
    const added = Array.from({ length: count }, (_, i) => {
      const n = this.secrets.length + i;
      return { id: `bench-${n.toString().padStart(6, '0')}`, path: `/acct${Math.floor(this.random() * ACCOUNTS)}/${pick(this.random, ENVS)}/item-${n}` };
    });
    await this.batch(
      added.map((s) => ({
        PutRequest: {
          Item: { ...ITEM.secret(s.id), kind: KIND.secret, sortKey: s.path, id: s.id, path: s.path, templateId: 'otp-only', fields: {}, createdAt: at, createdBy: 'bench', updatedAt: at, updatedBy: 'bench', version: 1 },
        },
      })),
    );
    this.secrets.push(...added);
  }

  async removeSecrets(count: number): Promise<void> {
    const removed = this.secrets.splice(this.secrets.length - count, count);
    await this.batch(removed.map((s) => ({ DeleteRequest: { Key: ITEM.secret(s.id) } })));
  }

  /** Through the store, one transaction each (policy, set version, audit event), as the API writes them. */
  async addPolicies(count: number): Promise<void> {
    let version = await this.store.version();
    for (let i = 0; i < count; i++) {
      const at = new Date().toISOString();
      const policy: PolicyRecord = { ...randomPolicy(this.random, this.policies.length), version: 1, createdAt: at, createdBy: 'bench', updatedAt: at, updatedBy: 'bench' };
      const event = this.audit.event('allowed', 201, 'policy created', { policyVersion: 1, newPolicySetVersion: version + 1 });
      await this.store.put(policy, undefined, version, this.outbox.transactItem(event));
      version++;
      this.policies.push(policy);
    }
  }

  private async batch(requests: Record<string, unknown>[]): Promise<void> {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
    const worker = async () => {
      for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
        let pending: Record<string, unknown>[] | undefined = chunk;
        while (pending && pending.length > 0) {
          const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [VAULT_TABLE.localName]: pending } }));
          pending = out.UnprocessedItems?.[VAULT_TABLE.localName] as Record<string, unknown>[] | undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }
}

/** About 5 % of policies name the team member or its groups; none uses a leading wildcard. */
function randomPolicy(random: () => number, index: number): Policy {
  const forTeam = random() < 0.05;
  const principals = forTeam ? [pick(random, TEAM_PRINCIPALS)] : [pick(random, OTHER_PRINCIPALS), pick(random, OTHER_PRINCIPALS)];
  const account = `acct${Math.floor(random() * ACCOUNTS)}`;
  const resources = [pick(random, [`/${account}/**`, `/${account}/prod/**`, `/${account}/*/item-1*`, `/${account}/prod-*/*`, `/${account}/dev/item-3`])];
  const conditions: NonNullable<Policy['conditions']> = {};
  const roll = random();
  if (roll < 0.15) conditions.sourceIp = ['10.0.0.0/8', '127.0.0.0/8'];
  else if (roll < 0.25) conditions.timeWindow = { start: '00:00', end: '24:00', timeZone: 'Europe/Berlin' };
  const deny = random() < 0.2;
  return {
    id: `bench-policy-${index}`,
    name: `bench ${index}`,
    effect: deny ? 'deny' : 'allow',
    principals,
    resources,
    actions: deny ? [pick(random, ['secret:reveal', 'seed:overwrite', 'otp:generate'] as const)] : ['otp:generate', 'secret:read', 'secret:reveal'],
    ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
  };
}

export function printMySecretsBench(figures: MySecretsBenchFigures): string {
  const cells = table(
    figures.cells.map((c) => ({
      secrets: c.secrets.toLocaleString('en-US'),
      policies: c.policies.toLocaleString('en-US'),
      caller: c.caller,
      returned: c.returned,
      examined: c.examined,
      'p50 ms': c.p50Ms,
      'p90 ms': c.p90Ms,
      'engine ms (all paths)': c.engineMs,
      '/v1/me p50 ms': c.meP50Ms,
    })),
  );
  const floorRows = table(figures.floor.map((f) => ({ secrets: f.secrets.toLocaleString('en-US'), 'every path, projected Query p50 ms': f.p50Ms })));
  return `\nGET /v1/me/secrets (local stack, sequential requests)\n${cells}\n\nfloor: DynamoDB Local alone\n${floorRows}\n`;
}


if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runMySecretsBench();
