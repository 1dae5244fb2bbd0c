/**
 * Policy engine throughput: decisions per second, and permissionsFor ("my secrets") latency as
 * paths and policies grow. Policies are spread over 200 principals; about 5 % name the caller
 * or one of its groups, so the policies the engine actually looks at grow with the total
 * while the other 95 % should cost nothing.
 *
 * Run: npx tsx bench/policyEval.ts
 */
import { pathToFileURL } from 'node:url';
import { ACTIONS, PolicyEngine, type Policy, type RequestContext } from '../shared/policy/index';
import { pick, seededRandom } from '../test/helpers/random';

export interface DecisionFigure {
  policies: number;
  callerPolicies: number;
  decisionsPerSecond: number;
}

export interface PermissionsFigure {
  policies: number;
  callerPolicies: number;
  paths: number;
  /** Median of the timed runs. */
  medianMs: number;
  microsecondsPerPath: number;
  /** Paths with at least one allowed action (a sanity figure). */
  pathsWithAccess: number;
}

export interface PolicyBenchFigures {
  decisions: DecisionFigure[];
  permissions: PermissionsFigure[];
}

export interface PolicyBenchOptions {
  /** Policy counts to try. @default [100, 1000] */
  policyCounts?: number[];
  /** Path counts to try. @default [1000, 10000] */
  pathCounts?: number[];
  /** Timed permissionsFor runs per cell (after three warm-up runs). @default 5 */
  runs?: number;
  /** Decisions timed per policy count. @default 50000 */
  decisions?: number;
  /** Print the tables. @default true */
  print?: boolean;
}

const CALLER: RequestContext = {
  principal: 'user:u0',
  groups: ['g0', 'g1'],
  sourceIp: '10.20.30.40',
  timeMs: Date.parse('2024-06-04T09:30:00Z'),
};
const CALLER_PRINCIPALS = ['user:u0', 'group:g0', 'group:g1'];
const OTHER_PRINCIPALS = [
  ...Array.from({ length: 150 }, (_, i) => `user:u${i + 1}`),
  ...Array.from({ length: 47 }, (_, i) => `group:g${i + 2}`),
];
const ACCOUNTS = 50;
const ENVS = ['prod', 'dev', 'stage', 'prod-eu'];

/** Measure, print and return the figures. */
export function runPolicyBench(options: PolicyBenchOptions = {}): PolicyBenchFigures {
  const { policyCounts = [100, 1000], pathCounts = [1000, 10_000], runs = 5, decisions = 50_000, print = true } = options;
  const figures: PolicyBenchFigures = { decisions: [], permissions: [] };
  for (const policyCount of policyCounts) {
    const random = seededRandom(policyCount);
    const policies = Array.from({ length: policyCount }, (_, i) => randomPolicy(random, i));
    const engine = new PolicyEngine(policies);
    const callerPolicies = policies.filter((p) => p.principals.some((pr) => CALLER_PRINCIPALS.includes(pr))).length;
    figures.decisions.push({ policies: policyCount, callerPolicies, decisionsPerSecond: decisionsPerSecond(engine, random, decisions) });
    for (const pathCount of pathCounts) {
      const paths = Array.from({ length: pathCount }, (_, i) => randomPath(random, i));
      for (let warmUp = 0; warmUp < 3; warmUp++) engine.permissionsFor(CALLER, paths);
      const times: number[] = [];
      let result = new Map<string, unknown[]>();
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        result = engine.permissionsFor(CALLER, paths);
        times.push(performance.now() - started);
      }
      const medianMs = median(times);
      figures.permissions.push({
        policies: policyCount,
        callerPolicies,
        paths: pathCount,
        medianMs,
        microsecondsPerPath: (medianMs * 1000) / pathCount,
        pathsWithAccess: [...result.values()].filter((actions) => actions.length > 0).length,
      });
    }
  }
  if (print) printFigures(figures);
  return figures;
}

function decisionsPerSecond(engine: PolicyEngine, random: () => number, count: number): number {
  const requests = Array.from({ length: 1000 }, (_, i) => {
    const action = ACTIONS[Math.floor(random() * ACTIONS.length)];
    return { action, path: ['template:manage', 'policy:manage', 'audit:read'].includes(action) ? '*' : randomPath(random, i) };
  });
  for (const { action, path } of requests) engine.decide(CALLER, action, path);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const { action, path } = requests[i % requests.length];
    engine.decide(CALLER, action, path);
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}

function randomPolicy(random: () => number, index: number): Policy {
  const forCaller = random() < 0.05;
  const principals = forCaller ? [pick(random, CALLER_PRINCIPALS)] : [pick(random, OTHER_PRINCIPALS), pick(random, OTHER_PRINCIPALS)];
  const account = `acct${Math.floor(random() * ACCOUNTS)}`;
  const resources = [
    pick(random, [`/${account}/**`, `/${account}/prod/**`, `/${account}/*/root-*`, '/**/root-1', `/${account}/prod-*/*`, `/${account}/dev/item-3`]),
  ];
  const conditions: NonNullable<Policy['conditions']> = {};
  const roll = random();
  if (roll < 0.15) conditions.sourceIp = ['10.0.0.0/8', '2001:db8::/32'];
  else if (roll < 0.25) conditions.timeWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', timeZone: 'Europe/Berlin' };
  const deny = random() < 0.2;
  return {
    id: `bench-${index}`,
    name: `bench ${index}`,
    effect: deny ? 'deny' : 'allow',
    principals,
    resources,
    actions: deny ? [pick(random, ['secret:reveal', 'seed:overwrite', 'otp:generate'] as const)] : ['otp:generate', 'secret:read', 'secret:reveal'],
    conditions,
  };
}

function randomPath(random: () => number, index: number): string {
  const leaf = random() < 0.2 ? `root-${index % 5}` : `item-${index}`;
  return `/acct${Math.floor(random() * ACCOUNTS)}/${pick(random, ENVS)}/${leaf}`;
}

function printFigures({ decisions, permissions }: PolicyBenchFigures): void {
  const row = (cells: (string | number)[], widths: number[]): string =>
    cells.map((c, i) => (typeof c === 'number' ? c.toLocaleString('en-US') : c).padStart(widths[i])).join('  ');
  const dw = [9, 15, 14];
  console.log('\ndecide()');
  console.log(row(['policies', 'for the caller', 'decisions/s'], dw));
  for (const d of decisions) console.log(row([d.policies, d.callerPolicies, d.decisionsPerSecond], dw));
  const pw = [9, 15, 7, 10, 8, 12];
  console.log('\npermissionsFor()');
  console.log(row(['policies', 'for the caller', 'paths', 'median ms', 'µs/path', 'with access'], pw));
  for (const p of permissions) {
    console.log(row([p.policies, p.callerPolicies, p.paths, p.medianMs.toFixed(2), p.microsecondsPerPath.toFixed(2), p.pathsWithAccess], pw));
  }
  console.log('');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}


/** Floor for one decision on a pattern that makes a backtracking matcher take polynomial time. */
const PATHOLOGICAL_FLOOR_MS = 200;

/** Median time of one decision of '/**\/a/**\/a/**\/a/**\/a/**\/a/**\/b' against a 400-segment path (no match). */
export function pathologicalPatternMs(runs = 5): number {
  const pattern = '/**/a/**/a/**/a/**/a/**/a/**/b';
  const path = '/' + Array.from({ length: 400 }, () => 'a').join('/');
  const engine = new PolicyEngine(
    [{ id: 'p', name: 'p', effect: 'allow', principals: ['user:u0'], resources: [pattern], actions: ['secret:read'], conditions: {} }],
    { includeBuiltins: false },
  );
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    engine.decide(CALLER, 'secret:read', path);
    times.push(performance.now() - started);
  }
  return median(times);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runPolicyBench();
  const ms = pathologicalPatternMs();
  console.log(`pattern with many ** vs a 400-segment path: ${ms.toFixed(3)} ms per decision (floor: under ${PATHOLOGICAL_FLOOR_MS} ms)${ms < PATHOLOGICAL_FLOOR_MS ? '' : '  ABOVE FLOOR'}`);
}
