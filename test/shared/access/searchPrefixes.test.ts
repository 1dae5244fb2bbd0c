import { literalPrefix, MAX_SEARCH_PREFIXES, searchPrefixes } from '../../../shared/access';

describe('literalPrefix', () => {
  it.each([
    ['/aws/prod/**', '/aws/prod'],
    ['/aws/prod/root', '/aws/prod/root'],
    ['/aws/prod-*/x', '/aws/prod-'],
    ['/a/**/c', '/a'],
    ['/**', ''],
    ['/*/root', ''],
  ])('reads %s as prefix "%s"', (pattern, prefix) => {
    // Act / Assess
    expect(literalPrefix(pattern)).toBe(prefix);
  });
});

describe('searchPrefixes', () => {
  it('keeps the fewest prefixes that cover every pattern', () => {
    // Act
    const prefixes = searchPrefixes(['/aws/prod/**', '/aws/prod/root', '/gcp/*', '/aws/prod-eu/x', '*']);
    // Assess
    expect(prefixes).toEqual(['/aws/prod', '/gcp']);
  });

  it('reads everything for a pattern starting with a wildcard', () => {
    // Act / Assess
    expect(searchPrefixes(['/aws/**', '/*/root'])).toEqual(['']);
  });

  it('reads nothing without a path pattern', () => {
    // Act / Assess
    expect(searchPrefixes(['*'])).toEqual([]);
  });

  it('stays within the prefix the caller asked for', () => {
    // Act
    const inside = searchPrefixes(['/aws/**', '/gcp/**'], '/aws/prod/');
    const narrower = searchPrefixes(['/aws/prod/db', '/aws/dev/**'], '/aws/');
    const outside = searchPrefixes(['/gcp/**'], '/aws/');
    // Assess
    expect(inside).toEqual(['/aws/prod/']);
    expect(narrower).toEqual(['/aws/dev', '/aws/prod/db']);
    expect(outside).toEqual([]);
  });

  it('falls back to one read of everything beyond the prefix limit', () => {
    // Prepare
    const patterns = Array.from({ length: MAX_SEARCH_PREFIXES + 1 }, (_, i) => `/team-${String(i).padStart(3, '0')}/**`);
    // Act / Assess
    expect(searchPrefixes(patterns)).toEqual(['']);
    expect(searchPrefixes(patterns.slice(1))).toHaveLength(MAX_SEARCH_PREFIXES);
  });
});
