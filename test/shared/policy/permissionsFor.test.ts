import { ACTIONS, PolicyEngine, type Action, type Policy, type RequestContext, type TimeWindow } from '../../../shared/policy/index';
import { allowPolicy, at, denyPolicy, pick, request, seededRandom, some } from './helpers';

const users = ['user:alice', 'user:bob', 'service:deploy-bot', 'role:arn:aws:iam::123456789012:role/ci'];
const groups = ['ops', 'dev', 'admins', 'contractors'];
const segments = ['aws', 'prod', 'dev', 'root', 'acme', 'prod-eu'];
const patternSegments = [...segments, '*', '**', 'prod-*', '*-eu'];
const windows: TimeWindow[] = [
  { start: '08:00', end: '18:00', timeZone: 'Europe/Berlin' },
  { days: ['sat'], start: '22:00', end: '06:00', timeZone: 'America/New_York' },
  { start: '00:00', end: '24:00', timeZone: 'Nowhere/Unknown' },
];

function randomPolicy(random: () => number, id: number): Policy {
  const conditions: NonNullable<Policy['conditions']> = {};
  if (random() < 0.2) conditions.sourceIp = [pick(random, ['10.0.0.0/8', '2001:db8::/32', '203.0.113.0/24'])];
  if (random() < 0.2) conditions.timeWindow = pick(random, windows);
  if (random() < 0.1) conditions.notAfter = pick(random, ['2024-01-01T00:00:00Z', '2030-01-01T00:00:00Z']);
  const resources = some(random, ['/**', '*', 'not-a-pattern', ...Array.from({ length: 12 }, () => '/' + some(random, patternSegments, 3).join('/'))], 3);
  return {
    id: `r${id}`,
    name: `random ${id}`,
    effect: random() < 0.3 ? 'deny' : 'allow',
    principals: some(random, [...users, ...groups.map((g) => `group:${g}`)], 2),
    resources,
    actions: random() < 0.15 ? ['*'] : some(random, ACTIONS, 4),
    conditions,
  };
}

function randomContext(random: () => number): RequestContext {
  return {
    principal: pick(random, users),
    groups: groups.filter(() => random() < 0.3),
    sourceIp: pick(random, [undefined, '10.1.2.3', '::ffff:203.0.113.9', '2001:db8::5', '192.0.2.1', 'garbage']),
    timeMs: at(pick(random, ['2024-06-03T10:00:00Z', '2024-03-10T09:30:00Z', '2024-06-08T23:00:00Z', '2031-01-01T00:00:00Z'])),
  };
}

describe('PolicyEngine.permissionsFor', () => {
  it('agrees with decide() for every path and action on random policies and requests', () => {
    // Prepare
    const random = seededRandom(2024);
    const disagreements: string[] = [];
    let allowedCount = 0;
    let checked = 0;
    for (let round = 0; round < 25; round++) {
      const policies = Array.from({ length: 30 }, (_, i) => randomPolicy(random, round * 100 + i));
      const engine = new PolicyEngine(policies, { includeBuiltins: random() < 0.5 });
      const paths = ['*', '/aws/', 'aws', ...Array.from({ length: 40 }, () => '/' + some(random, segments, 4).join('/'))];
      for (let c = 0; c < 5; c++) {
        const ctx = randomContext(random);
        // Act
        const permissions = engine.permissionsFor(ctx, paths);
        // Assess
        for (const path of paths) {
          for (const action of ACTIONS) {
            const decided = engine.decide(ctx, action, path).allowed;
            const listed = permissions.get(path)?.includes(action) ?? false;
            checked++;
            if (decided) allowedCount++;
            if (decided !== listed) disagreements.push(`round ${round} ${JSON.stringify(ctx)} ${action} ${path}: decide ${decided}, permissionsFor ${listed}`);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(checked).toBeGreaterThan(45_000);
    expect(allowedCount).toBeGreaterThan(1_000);
  });

  it('lists the allowed actions per path in catalogue order, including paths with none', () => {
    // Prepare
    const engine = new PolicyEngine([
      allowPolicy({ resources: ['/aws/**'], actions: ['secret:read', 'otp:generate'] }),
      allowPolicy({ resources: ['*'], actions: ['audit:read'] }),
      denyPolicy({ resources: ['/aws/prod/**'], actions: ['otp:generate'] }),
    ]);
    // Act
    const permissions = engine.permissionsFor(request(), ['/aws/dev/root', '/aws/prod/root', '/gcp/x', '*', '/aws/dev/root']);
    // Assess
    expect([...permissions]).toEqual([
      ['/aws/dev/root', ['otp:generate', 'secret:read']],
      ['/aws/prod/root', ['secret:read']],
      ['/gcp/x', []],
      ['*', ['audit:read']],
    ]);
  });

  it('returns arrays the caller may change without affecting other paths', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ actions: ['secret:read'] })]);
    const permissions = engine.permissionsFor(request(), ['/a', '/b']);
    // Act
    permissions.get('/a')?.push('secret:write');
    // Assess
    expect(permissions.get('/b')).toEqual(['secret:read']);
    expect(engine.permissionsFor(request(), ['/c']).get('/c')).toEqual(['secret:read']);
  });
});

describe('PolicyEngine.summary', () => {
  it('lists, per action, the patterns allowed and denied to the caller now', () => {
    // Prepare
    const engine = new PolicyEngine([
      allowPolicy({ principals: ['group:ops'], resources: ['/aws/**', '/vendors/acme/*'], actions: ['otp:generate', 'secret:read'] }),
      allowPolicy({ resources: ['*'], actions: ['audit:read'] }),
      denyPolicy({ resources: ['/aws/prod/**'], actions: ['otp:generate'] }),
      allowPolicy({ resources: ['/gcp/**'], actions: ['secret:write'], conditions: { sourceIp: ['10.0.0.0/8'] } }),
      allowPolicy({ principals: ['user:bob'], resources: ['/**'], actions: ['*'] }),
    ], { includeBuiltins: false });
    // Act
    const summary = engine.summary(request({ groups: ['ops'], sourceIp: '192.0.2.1' }));
    // Assess
    expect(summary).toEqual([
      { action: 'otp:generate', allow: ['/aws/**', '/vendors/acme/*'], deny: ['/aws/prod/**'] },
      { action: 'recovery:reveal', allow: [], deny: [] },
      { action: 'secret:read', allow: ['/aws/**', '/vendors/acme/*'], deny: [] },
      { action: 'secret:reveal', allow: [], deny: [] },
      { action: 'secret:write', allow: [], deny: [] },
      { action: 'secret:delete', allow: [], deny: [] },
      { action: 'seed:overwrite', allow: [], deny: [] },
      { action: 'template:manage', allow: [], deny: [] },
      { action: 'policy:manage', allow: [], deny: [] },
      { action: 'audit:read', allow: ['*'], deny: [] },
    ]);
  });

  it('shows the built-in grant for admins on paths and on the global scope', () => {
    // Prepare
    const engine = new PolicyEngine([]);
    // Act
    const summary = engine.summary(request({ groups: ['admins'] }));
    // Assess
    expect(summary.every((row) => row.allow.join() === '/**' && row.deny.length === 0)).toBe(true);
  });

  it('lists a deny whose conditions cannot be evaluated', () => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy(), denyPolicy({ resources: ['/aws/**'], actions: ['secret:reveal'], conditions: { sourceIp: ['10.0.0.0/8'] } })]);
    // Act
    const summary = engine.summary(request({ sourceIp: undefined }));
    // Assess
    expect(summary.find((row) => row.action === 'secret:reveal')?.deny).toEqual(['/aws/**']);
  });
});

describe('PolicyEngine.canManagePolicies', () => {
  const manage = (fields: Partial<Policy>): Policy => allowPolicy({ resources: ['*'], actions: ['policy:manage'], ...fields });

  it.each<[string, boolean, Policy[]]>([
    ['no policies at all', false, []],
    ['an allow of policy:manage on the global scope', true, [manage({})]],
    ['an allow of every action on /**', true, [allowPolicy({ resources: ['/**'], actions: ['*'] })]],
    ['only a deny of policy:manage', false, [manage({ effect: 'deny' })]],
    ['only other actions', false, [allowPolicy({ resources: ['/**'], actions: ['secret:read', 'audit:read'] })]],
    ['policy:manage on secret paths only (a stored mistake)', false, [manage({ resources: ['/aws/**'] })]],
    ['a grant with no principals (a stored mistake)', false, [manage({ principals: [] })]],
  ])('without built-ins, answers for %s: %s', (_case, expected, after) => {
    // Prepare
    const engine = new PolicyEngine(after, { includeBuiltins: false });
    // Act
    const result = engine.canManagePolicies(after);
    // Assess
    expect(result).toBe(expected);
  });

  it('is always true with the built-in admins policy, which cannot be deleted', () => {
    // Prepare
    const engine = new PolicyEngine([manage({ id: 'only' })]);
    // Act
    const result = engine.canManagePolicies([]);
    // Assess
    expect(result).toBe(true);
  });
});
