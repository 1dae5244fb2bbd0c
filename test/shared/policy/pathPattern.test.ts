import { PolicyEngine } from '../../../shared/policy/index';
import { allowPolicy, request, seededRandom, some } from './helpers';

/** Whether `pattern` grants secret:read on `path`, through the public engine. */
function matches(pattern: string, path: string): boolean {
  const engine = new PolicyEngine([allowPolicy({ resources: [pattern], actions: ['secret:read'] })], { includeBuiltins: false });
  return engine.decide(request(), 'secret:read', path).allowed;
}

describe('resource patterns', () => {
  it.each([
    // literal
    ['/aws/prod/root', '/aws/prod/root', true],
    ['/aws/prod/root', '/aws/prod/root2', false],
    ['/aws/prod/root', '/aws/prod', false],
    ['/aws/prod/root', '/aws/prod/root/x', false],
    ['/aws/prod/root', '/AWS/prod/root', false],
    // * is one whole segment of one or more characters
    ['/vendors/acme/*', '/vendors/acme/github', true],
    ['/vendors/acme/*', '/vendors/acme', false],
    ['/vendors/acme/*', '/vendors/acme/github/x', false],
    ['/*', '/aws', true],
    ['/*', '/aws/prod', false],
    ['/*/prod/*', '/aws/prod/root', true],
    ['/*/prod/*', '/aws/dev/root', false],
    // * inside a segment
    ['/aws/prod-*', '/aws/prod-eu', true],
    ['/aws/prod-*', '/aws/prod-', false],
    ['/aws/prod-*', '/aws/prod', false],
    ['/aws/prod-*', '/aws/prod-eu/root', false],
    ['/aws/*-root', '/aws/prod-root', true],
    ['/aws/*-root', '/aws/-root', false],
    ['/aws/a*b*c', '/aws/axxbyyc', true],
    ['/aws/a*b*c', '/aws/abc', false],
    ['/aws/a*b*c', '/aws/axbxbxc', true],
    ['/aws/a*b*c', '/aws/axbxbxcx', false],
    // ** is zero or more segments
    ['/aws/**', '/aws', true],
    ['/aws/**', '/aws/prod', true],
    ['/aws/**', '/aws/prod/root', true],
    ['/aws/**', '/awsx/prod', false],
    ['/aws/**', '/gcp/aws', false],
    ['/**', '/anything/at/all', true],
    // ** in the middle
    ['/a/**/c', '/a/c', true],
    ['/a/**/c', '/a/b/c', true],
    ['/a/**/c', '/a/b/d/c', true],
    ['/a/**/c', '/a/b/c/d', false],
    ['/a/**/c', '/a/b', false],
    ['/a/**/c', '/x/a/c', false],
    ['/**/root', '/root', true],
    ['/**/root', '/aws/prod/root', true],
    ['/**/root', '/aws/prod/rooty', false],
    ['/a/**/b/**/c', '/a/x/b/y/z/c', true],
    ['/a/**/b/**/c', '/a/b/c', true],
    ['/a/**/b/**/c', '/a/c/b', false],
    ['/a/**/**/c', '/a/x/y/c', true],
    ['/a/**/*-prod/*', '/a/x/eu-prod/root', true],
    ['/a/**/*-prod/*', '/a/eu-prod', false],
    // paths not in canonical form never match, not even /**
    ['/**', '/aws/', false],
    ['/aws/**', '/aws/', false],
    ['/aws/**', '/aws//prod', false],
    ['/**', 'aws/prod', false],
    ['/**', '', false],
    ['/**', '/aws/pr od', false],
  ])('%s matching %s is %s', (pattern, path, expected) => {
    // Prepare: a single allow with the pattern
    // Act
    const result = matches(pattern, path);
    // Assess
    expect(result).toBe(expected);
  });

  it('agrees with a reference RegExp translation on random patterns and paths', () => {
    // Prepare: patterns and paths over a tiny alphabet, so that matches are frequent
    const random = seededRandom(7);
    const segments = ['a', 'b', 'ab', 'ba', 'aab'];
    const patternSegments = [...segments, '*', '**', 'a*', '*b', 'a*b', '*a*'];
    const reference = (pattern: string): RegExp => {
      const body = pattern
        .slice(1)
        .split('/')
        .map((s) => (s === '**' ? '(?:/[^/]+)*' : `/${s.replaceAll('*', '[^/]+')}`))
        .join('');
      return new RegExp(`^${body}$`);
    };
    const mismatches: string[] = [];
    let matched = 0;
    for (let i = 0; i < 300; i++) {
      const pattern = '/' + some(random, patternSegments, 5).join('/');
      const engine = new PolicyEngine([allowPolicy({ resources: [pattern], actions: ['secret:read'] })], { includeBuiltins: false });
      const expected = reference(pattern);
      for (let j = 0; j < 30; j++) {
        const path = '/' + some(random, segments, 6).join('/');
        // Act
        const allowed = engine.decide(request(), 'secret:read', path).allowed;
        if (allowed !== expected.test(path)) mismatches.push(`${pattern} ${path} ${allowed}`);
        if (allowed) matched++;
      }
    }
    // Assess: no disagreement, and enough matches that the comparison means something
    expect(mismatches).toEqual([]);
    expect(matched).toBeGreaterThan(300);
  });

  // Its time (a backtracking RegExp takes polynomial time here) is a figure of `npm run bench policyEval`.
  it('decides a pattern with many ** against a long path', () => {
    // Prepare
    const pattern = '/**/a/**/a/**/a/**/a/**/a/**/b';
    const engine = new PolicyEngine([allowPolicy({ resources: [pattern], actions: ['secret:read'] })], { includeBuiltins: false });
    const path = (leaf: string) => '/' + [...Array.from({ length: 400 }, () => 'a'), leaf].join('/');
    // Act
    const decisions = [path('a'), path('b')].map((p) => engine.decide(request(), 'secret:read', p).allowed);
    // Assess
    expect(decisions).toEqual([false, true]);
  });

});
