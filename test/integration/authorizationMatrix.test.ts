import { generateKeyPair, SignJWT } from 'jose';
import { routes } from '../../shared/api/routes';
import { callAsIam, LOCAL_ROLE } from '../helpers/iamCaller';
import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

/**
 * Every route × every kind of caller → the status the table below says, not what the code
 * under test happens to do. The policies (created through the API in `beforeAll`):
 *
 * | policy            | effect | principals   | actions                    | resources          |
 * |-------------------|--------|--------------|----------------------------|--------------------|
 * | ops everything    | allow  | group:ops    | *                          | /ops/**, *         |
 * | dev everything    | allow  | group:dev    | *                          | /dev/**            |
 * | deny dave         | deny   | user:dave    | *                          | /**                |
 * | bot codes         | allow  | service:bot  | otp:generate, secret:read  | /ops/**            |
 * | ci role codes     | allow  | role:…/ci-deploy | otp:generate, secret:read | /ops/**          |
 *
 * The secrets used live under /ops. Callers: `admin` (group admins, the built-in policy),
 * `allowed` (user olga in ops), `otherGroup` (user dan in dev), `denied` (user dave in ops,
 * denied by his own policy), `service` (service:bot), `role` (the IAM role ci-deploy, through the
 * IAM API; its handlers are invoked directly with the IAM authorizer's context, see `callAsIam`), and four callers without valid
 * credentials: no token, an expired token, a token from another issuer, a tampered token
 * (see `REFUSED` for what the authorizer answers them).
 */

type Authenticated = 'admin' | 'allowed' | 'otherGroup' | 'denied' | 'service' | 'role';
type Unauthenticated = 'noToken' | 'expired' | 'otherIssuer' | 'tampered';
type Caller = Authenticated | Unauthenticated;

const AUTHENTICATED: readonly Authenticated[] = ['admin', 'allowed', 'otherGroup', 'denied', 'service', 'role'];
const UNAUTHENTICATED: readonly Unauthenticated[] = ['noToken', 'expired', 'otherIssuer', 'tampered'];

interface Request {
  path: string;
  body?: unknown;
}

interface Row {
  /** Callers that get the success status; every other authenticated caller gets 403. */
  allows: readonly Authenticated[];
  success: number;
  /** Builds the request; `fresh` is true when the call will succeed and may consume what it is given. */
  request: (fresh: boolean) => Promise<Request>;
  /** The secret action a denial names (`not allowed to <action> on secret <id>`), for routes about one secret. */
  secretAction?: string;
  /**
   * Routes any authenticated caller reaches, whose service then decides (access requests): what
   * each caller gets instead of `success`/403, with its error code.
   */
  outcomes?: Partial<Record<Authenticated, { status: number; code: string }>>;
}

const EVERYONE: readonly Authenticated[] = AUTHENTICATED;
const MANAGERS: readonly Authenticated[] = ['admin', 'allowed'];
const SEED = 'JBSWY3DPEHPK3PXP';
const today = new Date().toISOString().slice(0, 10);

let vault: TestVault;
let tokens: Record<Caller, string | undefined>;
let sharedSecret: { id: string; path: string };

async function createSecret(): Promise<{ id: string; path: string }> {
  const path = uniquePath('/ops/matrix');
  const res = await vault.call('POST', '/v1/secrets', {
    token: tokens.admin,
    body: {
      path,
      template: 'webapp-otp',
      fields: { url: 'https://ops.example', username: 'ops', password: 'pw-matrix', otpSeed: { setupKey: SEED }, recoveryCodes: ['rc-1', 'rc-2'] },
    },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, path };
}

async function createPolicy(body: Record<string, unknown>): Promise<string> {
  const res = await vault.call('POST', '/v1/policies', { token: tokens.admin, body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** A custom template of one note field, made by the admin; returns its id. */
async function createTemplate(): Promise<string> {
  const res = await vault.call('POST', '/v1/templates', { token: tokens.admin, body: { name: `Matrix ${Math.random().toString(36).slice(2, 10)}`, fields: [{ name: 'note', type: 'note' }] } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const harmlessPolicy = () => ({ name: `matrix ${Math.random().toString(36).slice(2, 8)}`, effect: 'allow', principals: ['user:nobody'], resources: ['/nowhere/**'], actions: ['secret:read'] });
const secretFor = async (fresh: boolean) => (fresh ? createSecret() : sharedSecret);
const onSecret = (suffix: string, body?: unknown) => async (fresh: boolean) => ({ path: `/v1/secrets/${(await secretFor(fresh)).id}${suffix}`, body });

const NO_REQUEST = '01J00000000000000000000000';
const NOT_FOUND = { status: 404, code: 'AccessRequestNotFound' };
function everyone(outcome: { status: number; code: string }): Record<Authenticated, { status: number; code: string }> {
  return Object.fromEntries(AUTHENTICATED.map((caller) => [caller, outcome])) as Record<Authenticated, { status: number; code: string }>;
}

/** The expected outcomes, by operation. */
const TABLE: Record<string, Row> = {
  health: { allows: EVERYONE, success: 200, request: async () => ({ path: '/health' }) },
  getOpenApi: { allows: EVERYONE, success: 200, request: async () => ({ path: '/v1/openapi.json' }) },
  listTemplates: { allows: ['admin', 'allowed', 'otherGroup'], success: 200, request: async () => ({ path: '/v1/templates' }) },
  createTemplate: {
    allows: MANAGERS,
    success: 201,
    request: async () => ({ path: '/v1/templates', body: { name: `Matrix ${Math.random().toString(36).slice(2, 10)}`, fields: [{ name: 'note', type: 'note' }] } }),
  },
  getTemplate: { allows: ['admin', 'allowed', 'otherGroup'], success: 200, request: async () => ({ path: '/v1/templates/webapp-otp' }) },
  replaceTemplate: {
    allows: MANAGERS,
    success: 200,
    request: async (fresh) => ({ path: `/v1/templates/${fresh ? await createTemplate() : 'webapp-otp'}`, body: { name: 'Matrix renamed', fields: [{ name: 'note', type: 'note' }] } }),
  },
  deleteTemplate: { allows: MANAGERS, success: 204, request: async (fresh) => ({ path: `/v1/templates/${fresh ? await createTemplate() : 'webapp-otp'}` }) },
  createSecret: {
    allows: MANAGERS,
    success: 201,
    request: async () => ({ path: '/v1/secrets', body: { path: uniquePath('/ops/new'), template: 'otp-only', fields: { otpSeed: { setupKey: SEED } } } }),
  },
  listSecrets: { allows: ['admin', 'allowed', 'otherGroup', 'service', 'role'], success: 200, request: async () => ({ path: '/v1/secrets' }) },
  getSecret: { allows: ['admin', 'allowed', 'service', 'role'], success: 200, request: onSecret(''), secretAction: 'secret:read' },
  deleteSecret: { allows: MANAGERS, success: 204, request: onSecret(''), secretAction: 'secret:delete' },
  overwriteSeed: { allows: MANAGERS, success: 200, request: onSecret('/otp-seed', { setupKey: SEED }), secretAction: 'seed:overwrite' },
  generateOtp: { allows: ['admin', 'allowed', 'service', 'role'], success: 200, request: onSecret('/otp'), secretAction: 'otp:generate' },
  generateOtps: {
    allows: ['admin', 'allowed', 'otherGroup', 'service', 'role'],
    success: 200,
    request: async () => ({ path: '/v1/otp', body: { prefix: '/ops/matrix-batch/' } }),
  },
  replaceRecoveryCodes: { allows: MANAGERS, success: 200, request: onSecret('/recovery-codes', { codes: ['rc-9'] }), secretAction: 'secret:write' },
  revealRecoveryCode: { allows: MANAGERS, success: 200, request: onSecret('/recovery-codes/reveal'), secretAction: 'recovery:reveal' },
  revealField: { allows: MANAGERS, success: 200, request: onSecret('/fields/password/reveal'), secretAction: 'secret:reveal' },
  getMe: { allows: EVERYONE, success: 200, request: async () => ({ path: '/v1/me' }) },
  listMySecrets: { allows: EVERYONE, success: 200, request: async () => ({ path: '/v1/me/secrets' }) },
  listPolicies: { allows: MANAGERS, success: 200, request: async () => ({ path: '/v1/policies' }) },
  createPolicy: { allows: MANAGERS, success: 201, request: async () => ({ path: '/v1/policies', body: harmlessPolicy() }) },
  simulatePolicy: {
    allows: MANAGERS,
    success: 200,
    request: async () => ({ path: '/v1/policies/simulate', body: { principal: 'user:olga', groups: ['ops'], action: 'otp:generate', path: '/ops/x' } }),
  },
  getPolicy: { allows: MANAGERS, success: 200, request: async () => ({ path: '/v1/policies/builtin-admins' }) },
  replacePolicy: {
    allows: MANAGERS,
    success: 200,
    request: async (fresh) => ({ path: `/v1/policies/${fresh ? await createPolicy(harmlessPolicy()) : 'builtin-admins'}`, body: harmlessPolicy() }),
  },
  deletePolicy: {
    allows: MANAGERS,
    success: 204,
    request: async (fresh) => ({ path: `/v1/policies/${fresh ? await createPolicy(harmlessPolicy()) : 'builtin-admins'}` }),
  },
  queryAudit: { allows: MANAGERS, success: 200, request: async () => ({ path: '/v1/audit' }) },
  exportAudit: { allows: MANAGERS, success: 200, request: async () => ({ path: '/v1/audit/export' }) },
  reconcileAudit: {
    allows: MANAGERS,
    success: 200,
    request: async () => ({ path: `/v1/audit/reconcile?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date().toISOString()}` }),
  },
  verifyAudit: { allows: MANAGERS, success: 200, request: async () => ({ path: `/v1/audit/verify?from=${today}` }) },
  // No policy here carries an approval block: callers allowed already hear so, the others may not ask.
  createAccessRequest: {
    allows: [],
    success: 201,
    request: async () => ({ path: '/v1/access-requests', body: { secretId: sharedSecret.id, actions: ['otp:generate'] } }),
    outcomes: {
      ...everyone({ status: 409, code: 'AlreadyAllowed' }),
      otherGroup: { status: 403, code: 'NotRequestable' },
      denied: { status: 403, code: 'NotRequestable' },
    },
  },
  setAlertOnUse: { allows: MANAGERS, success: 200, request: onSecret('/alert-on-use', { alertOnUse: false }), secretAction: 'secret:write' },
  listAccessRequests: { allows: EVERYONE, success: 200, request: async () => ({ path: '/v1/access-requests?mine=true' }) },
  // Requests are visible to their requester and approvers only; this one does not exist.
  getAccessRequest: { allows: [], success: 200, request: async () => ({ path: `/v1/access-requests/${NO_REQUEST}` }), outcomes: everyone(NOT_FOUND) },
  approveAccessRequest: { allows: [], success: 200, request: async () => ({ path: `/v1/access-requests/${NO_REQUEST}/approve` }), outcomes: everyone(NOT_FOUND) },
  denyAccessRequest: { allows: [], success: 200, request: async () => ({ path: `/v1/access-requests/${NO_REQUEST}/deny` }), outcomes: everyone(NOT_FOUND) },
  withdrawAccessRequest: { allows: [], success: 200, request: async () => ({ path: `/v1/access-requests/${NO_REQUEST}` }), outcomes: everyone(NOT_FOUND) },
};

/**
 * Callers without valid credentials never reach a route function. As with API Gateway's Lambda
 * authorizer: a request without the identity source (no Authorization header) is 401; a token the
 * authorizer refuses is 403 (locally with code Unauthenticated and the reason; in AWS a bare Forbidden).
 */
/** Routes without authentication (`auth: 'none'`): everyone gets 200, and nothing is audited. */
const PUBLIC = new Set<string>(routes.filter((r) => r.auth === 'none').map((r) => r.op));

const REFUSED: Record<Unauthenticated, number> = { noToken: 401, expired: 403, otherIssuer: 403, tampered: 403 };

function expectedStatus(op: string, caller: Caller): number {
  const row = TABLE[op] as Row;
  if (PUBLIC.has(op)) return 200;
  if (caller in REFUSED) return REFUSED[caller as Unauthenticated];
  const outcome = row.outcomes?.[caller as Authenticated];
  if (outcome) return outcome.status;
  return row.allows.includes(caller as Authenticated) ? row.success : 403;
}

async function otherIssuerToken(): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ username: 'olga', 'cognito:groups': ['ops'], token_use: 'access', client_id: 'otpvault-local' })
    .setProtectedHeader({ alg: 'RS256', kid: 'elsewhere' })
    .setIssuer('https://issuer.elsewhere.example')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

function tampered(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<string, unknown>;
  claims['cognito:groups'] = ['admins'];
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

/** Like `vault.call`, but a body that is not JSON (an audit export file) is kept as text only. */
async function send(op: string, caller: Caller, request: Request): Promise<Pick<ApiResponse, 'status' | 'body' | 'text' | 'headers'>> {
  const route = routes.find((r) => r.op === op);
  if (!route) throw new Error(`no route ${op}`);
  if (caller === 'role') return callAsIam(LOCAL_ROLE.sessionArn, route.method, request.path, request.body);
  const headers: Record<string, string> = {};
  const token = tokens[caller];
  if (token) headers.authorization = `Bearer ${token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const res = await fetch(`${vault.url}${request.path}`, { method: route.method, headers, body });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json') && text ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: res.status, body: json, text, headers: res.headers };
}

/** The principal id each authenticated caller is audited as. */
const AUDITED_AS: Record<Authenticated, string> = {
  admin: 'user:alice',
  allowed: 'user:olga',
  otherGroup: 'user:dan',
  denied: 'user:dave',
  service: 'service:bot',
  role: LOCAL_ROLE.principal,
};

let outbox: OutboxReader;

const CALLERS: readonly Caller[] = [...AUTHENTICATED, ...UNAUTHENTICATED];
const cases = routes.flatMap((route) => CALLERS.map((caller) => [route.op, caller, `${route.method} ${route.path}`] as const));
const secretDenials = routes.flatMap((route) => {
  const row = TABLE[route.op];
  if (!row?.secretAction) return [];
  return AUTHENTICATED.filter((caller) => !row.allows.includes(caller)).map((caller) => [route.op, caller] as const);
});

type Answer = Awaited<ReturnType<typeof send>>;
const MISSING_SECRET_ID = '00000000-0000-4000-8000-000000000000';
/** Requests in flight at once while the cases' requests are sent. */
const SEND_WIDTH = 6;
/** Operations that change the policy set: the set is versioned, so two changes at once are a 409 (ConcurrentPolicyChange) by design. */
const POLICY_CHANGES = new Set(['createPolicy', 'replacePolicy', 'deletePolicy']);

/** Runs tasks given to it at most `width` at a time, in the order given. */
function pool(width: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= width) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** What each case's request answered (or the error building or sending it threw), by `op caller`. */
const answers = new Map<string, Promise<Answer>>();
/** Each secret denial's answers: for the existing secret, then for a missing one. */
const denialAnswers = new Map<string, Promise<[Answer, Answer]>>();
const keyOf = (op: string, caller: Caller) => `${op} ${caller}`;

/**
 * Sends every case's requests, a few at a time; each case then checks its own answer and the audit
 * events its request left. Sending them one by one, each a round trip through the handlers and
 * DynamoDB Local, was most of this file's time. No case's outcome depends on another's: what a
 * successful call consumes is made fresh for it (Row.request), a refused one touches only the shared
 * secret or the built-in policy, and policy changes go one at a time (POLICY_CHANGES). Sent from a
 * hook, not from concurrent tests: jest refuses an `import()` (callAsIam loads the handler) while it
 * counts as between tests, which one concurrent test ending makes it for the others.
 */
async function sendAll(): Promise<void> {
  const inFlight = pool(SEND_WIDTH);
  const oneAtATime = pool(1);
  const lane = (op: string) => (POLICY_CHANGES.has(op) ? <T,>(task: () => Promise<T>) => oneAtATime(() => inFlight(task)) : inFlight);
  for (const [op, caller] of cases) {
    const row = TABLE[op] as Row;
    const answer = lane(op)(async () => send(op, caller, await row.request(expectedStatus(op, caller) < 300)));
    answer.catch(() => undefined); // the case awaits it
    answers.set(keyOf(op, caller), answer);
  }
  for (const [op, caller] of secretDenials) {
    const both = lane(op)(async () => {
      const existing = await (TABLE[op] as Row).request(false);
      const missing = { ...existing, path: existing.path.replace(sharedSecret.id, MISSING_SECRET_ID) };
      return [await send(op, caller, existing), await send(op, caller, missing)] as [Answer, Answer];
    });
    both.catch(() => undefined);
    denialAnswers.set(keyOf(op, caller), both);
  }
  await Promise.allSettled([...answers.values(), ...denialAnswers.values()]);
}

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  const expiring = await vault.stack.issuer.signToken({ user: 'olga', groups: ['ops'], ttlSeconds: 1 });
  const waited = new Promise((resolve) => setTimeout(resolve, 2100));
  tokens = {
    admin: await vault.token('alice', ['admins']),
    allowed: await vault.token('olga', ['ops']),
    otherGroup: await vault.token('dan', ['dev']),
    denied: await vault.token('dave', ['ops']),
    service: await vault.serviceToken('bot'),
    role: undefined, // signs with SigV4 (callAsIam), no token
    noToken: undefined,
    expired: expiring,
    otherIssuer: await otherIssuerToken(),
    tampered: tampered(await vault.token('olga', ['ops'])),
  };
  await createPolicy({ name: 'ops everything', effect: 'allow', principals: ['group:ops'], resources: ['/ops/**', '*'], actions: ['*'] });
  await createPolicy({ name: 'dev everything', effect: 'allow', principals: ['group:dev'], resources: ['/dev/**'], actions: ['*'] });
  await createPolicy({ name: 'deny dave', effect: 'deny', principals: ['user:dave'], resources: ['/**'], actions: ['*'] });
  await createPolicy({ name: 'bot codes', effect: 'allow', principals: ['service:bot'], resources: ['/ops/**'], actions: ['otp:generate', 'secret:read'] });
  await createPolicy({ name: 'ci role codes', effect: 'allow', principals: [LOCAL_ROLE.principal], resources: ['/ops/**'], actions: ['otp:generate', 'secret:read'] });
  sharedSecret = await createSecret();
  await waited;
  await sendAll();
}, 240_000);
afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});


describe('the authorization matrix', () => {
  it('has a row for every route in the route table', () => {
    // Assess
    expect(routes.map((r) => r.op).filter((op) => !(op in TABLE))).toEqual([]);
  });

  it.each(cases)('answers %s as the table says to %s (%s)', async (op, caller) => {
    // Prepare
    const expected = expectedStatus(op, caller);
    const row = TABLE[op] as Row;
    // Act: sent in beforeAll (sendAll)
    const res = await (answers.get(keyOf(op, caller)) as Promise<Answer>);
    // Assess
    expect({ op, caller, status: res.status, body: res.status === expected ? undefined : res.text }).toEqual({ op, caller, status: expected, body: undefined });
    const refused = caller in REFUSED && !PUBLIC.has(op);
    if (refused) expect(res.body).toMatchObject({ error: { code: 'Unauthenticated' } });
    else if (expected >= 400) expect(res.body).toMatchObject({ error: { code: row.outcomes?.[caller as Authenticated]?.code ?? 'Forbidden' } });
    // Every request a route function answered leaves exactly one audit event saying what happened.
    if (!PUBLIC.has(op) && !refused) {
      const route = routes.find((r) => r.op === op)!;
      const events = await outbox.eventsOf(res.headers.get('x-request-id'));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        operation: op,
        action: route.action ?? op,
        result: expected < 300 ? 'allowed' : expected === 403 ? 'denied' : 'error',
        status: expected,
        actor: { principal: AUDITED_AS[caller as Authenticated] },
      });
      if (row.secretAction && expected < 300) expect(events[0]!.target.secretId).toEqual(expect.any(String));
    }
  });

  it.each(secretDenials)('denies %s to %s with the same answer for an existing and a missing secret', async (op, caller) => {
    // Prepare
    const row = TABLE[op] as Row;
    const missingId = MISSING_SECRET_ID;
    // Act: sent in beforeAll (sendAll)
    const [forExisting, forMissing] = await (denialAnswers.get(keyOf(op, caller)) as Promise<[Answer, Answer]>);
    // Assess
    expect([forExisting.status, forMissing.status]).toEqual([403, 403]);
    expect(forExisting.body).toEqual({ error: { code: 'Forbidden', message: `not allowed to ${row.secretAction} on secret ${sharedSecret.id}` } });
    expect(forMissing.body).toEqual({ error: { code: 'Forbidden', message: `not allowed to ${row.secretAction} on secret ${missingId}` } });
    expect(forExisting.text).not.toContain(sharedSecret.path);
  });
});
