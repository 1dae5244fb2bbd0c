/**
 * Which path prefixes can hold a secret that some resource pattern matches: the literal part of
 * each pattern before its first wildcard. Reading only those prefixes of the path index finds
 * every secret the patterns can match (and possibly a few more, which the engine then filters).
 */

/** Beyond this many prefixes, one read of the whole index is cheaper than many small ones. */
export const MAX_SEARCH_PREFIXES = 32;

/** The literal start of a resource pattern: `/aws/prod/**` → `/aws/prod`, `/a/prod-*` → `/a/prod-`, `/**` → `` (everything). */
export function literalPrefix(pattern: string): string {
  const wildcard = pattern.indexOf('*');
  const literal = wildcard === -1 ? pattern : pattern.slice(0, wildcard);
  // `/a/**` also matches `/a` itself, so the separator is not part of the prefix.
  return literal.endsWith('/') ? literal.slice(0, -1) : literal;
}

/**
 * The fewest prefixes that cover every path the patterns can match, within `within` when given.
 *
 * @param patterns - resource patterns of applicable allows (the global scope `*` is ignored)
 * @param within - a prefix the caller asked for
 * @returns prefixes to read with `begins_with`; `['']` means the whole index, `[]` nothing
 * @example
 * searchPrefixes(['/aws/prod/**', '/aws/prod/root', '/gcp/*']); // ['/aws/prod', '/gcp']
 */
export function searchPrefixes(patterns: readonly string[], within?: string): string[] {
  const wanted = new Set<string>();
  for (const pattern of patterns) {
    if (!pattern.startsWith('/')) continue;
    const prefix = literalPrefix(pattern);
    if (within === undefined || prefix.startsWith(within)) wanted.add(prefix);
    else if (within.startsWith(prefix)) wanted.add(within);
  }
  const kept: string[] = [];
  for (const prefix of [...wanted].sort()) {
    if (!kept.some((k) => prefix.startsWith(k))) kept.push(prefix);
  }
  if (kept.length > MAX_SEARCH_PREFIXES) return [within ?? ''];
  return kept;
}
