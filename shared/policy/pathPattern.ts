/**
 * Resource patterns: which secret paths (and whether the global scope) a policy covers.
 *
 * - A literal path (`/aws/prod/root`) matches exactly that path.
 * - `*` inside a segment matches one or more characters other than `/` (`/aws/*`, `/aws/prod-*`).
 * - `**` as a whole segment matches zero or more segments (`/aws/**` matches `/aws` and everything
 *   below it; `/a/** /c`, without the space this comment needs, matches `/a/c`, `/a/b/c`, `/a/b/d/c`).
 * - `/**` matches every path and the global scope; the pattern `*` alone matches only the global scope.
 *
 * Patterns compile to small matcher functions, not RegExps: the matcher is the classic
 * wildcard algorithm (O(path × pattern) in the worst case), so a pattern with several `**`
 * cannot make matching blow up the way a backtracking RegExp can.
 */

/** The global scope: what global actions (`policy:manage`, ...) are checked against. */
export const GLOBAL_SCOPE = '*';

/** Longest resource pattern accepted by validation. */
const MAX_PATTERN_LENGTH = 1024;

const PATTERN_SEGMENT = /^[A-Za-z0-9._*-]+$/;
const CANONICAL_PATH = /^(?:\/[A-Za-z0-9._-]+)+$/;

/** True for a secret path in canonical form: `/` then segments of `[A-Za-z0-9._-]+`, no trailing `/`. */
export function isCanonicalPath(path: string): boolean {
  return CANONICAL_PATH.test(path);
}

/** Why `pattern` is not a valid resource pattern, or undefined when it is. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern === GLOBAL_SCOPE) return undefined;
  if (pattern.length === 0) return 'resource pattern is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `resource pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (!pattern.startsWith('/')) return `resource "${pattern}" must start with "/" (or be "*" for the global scope)`;
  if (pattern === '/') return 'resource "/" names no path; use "/**" for everything';
  if (pattern.endsWith('/')) return `resource "${pattern}" must not end with "/"`;
  const segments = pattern.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return `resource "${pattern}" has an empty segment ("//")`;
    if (segment === '**') continue;
    if (segment.includes('**')) return `resource "${pattern}": "**" must be a whole segment, found "${segment}"`;
    if (!PATTERN_SEGMENT.test(segment)) {
      return `resource "${pattern}": segment "${segment}" may only contain letters, digits, ".", "_", "-" and "*"`;
    }
  }
  return undefined;
}

/** A compiled resource pattern. */
export interface PathMatcher {
  /** The pattern as written. */
  readonly source: string;
  /** True when the pattern covers the global scope (`*` or `/**`). */
  readonly global: boolean;
  /** True when the pattern can match secret paths (everything but `*`). */
  readonly paths: boolean;
  /** The first segment when it is literal (every matching path starts with it), else undefined. */
  readonly firstSegment?: string;
  /** Whether a canonical path matches. */
  match(path: string): boolean;
}

const GLOBSTAR = null;
type SegmentMatcher = ((segment: string) => boolean) | typeof GLOBSTAR;

/**
 * Compile a pattern. A pattern that does not validate gets `onInvalid`: the engine passes
 * "match everything" for denies and "match nothing" for allows, so a damaged stored policy
 * can only narrow access.
 */
export function compilePattern(pattern: string, onInvalid: 'matchAll' | 'matchNone'): PathMatcher {
  if (patternProblem(pattern) !== undefined) {
    const all = onInvalid === 'matchAll';
    return { source: pattern, global: all, paths: all, match: () => all };
  }
  if (pattern === GLOBAL_SCOPE) return { source: pattern, global: true, paths: false, match: () => false };
  if (pattern === '/**') return { source: pattern, global: true, paths: true, match: () => true };
  const first = pattern.slice(1).split('/', 1)[0];
  const firstSegment = first.includes('*') ? undefined : first;
  return { source: pattern, global: false, paths: true, firstSegment, ...compilePathMatch(pattern) };
}

function compilePathMatch(pattern: string): Pick<PathMatcher, 'match'> {
  if (!pattern.includes('*')) return { match: (path) => path === pattern };
  const segments = collapseGlobstars(pattern.slice(1).split('/'));
  const firstWild = segments.findIndex((s) => s.includes('*'));
  const prefix = segments.slice(0, firstWild).map((s) => `/${s}`).join('');
  const rest = segments.slice(firstWild);
  // Fast paths for the common shapes `/prefix/**` and `/prefix/*`.
  if (rest.length === 1 && rest[0] === '**') {
    const below = prefix + '/';
    return { match: (path) => path === prefix || path.startsWith(below) };
  }
  if (rest.length === 1 && rest[0] === '*') {
    const below = prefix + '/';
    return { match: (path) => path.startsWith(below) && path.indexOf('/', below.length) === -1 };
  }
  const matchers = segments.map(compileSegment);
  // A literal last segment is a cheap test that rejects most paths before they are split.
  const last = segments[segments.length - 1];
  if (!last.includes('*')) {
    const suffix = `/${last}`;
    return { match: (path) => path.endsWith(suffix) && matchSegments(pathSegments(path), matchers) };
  }
  return { match: (path) => matchSegments(pathSegments(path), matchers) };
}

/** `/a/**\/**\/b` is the same as `/a/**\/b`; collapsing keeps the matcher's work down. */
function collapseGlobstars(segments: string[]): string[] {
  return segments.filter((s, i) => !(s === '**' && segments[i - 1] === '**'));
}

function compileSegment(segment: string): SegmentMatcher {
  if (segment === '**') return GLOBSTAR;
  if (segment === '*') return () => true;
  if (!segment.includes('*')) return (s) => s === segment;
  // Each `*` needs at least one character: rewrite it as "one character" (`?`, which no
  // segment contains) followed by "any run" (`*`).
  const glob = segment.replaceAll('*', '?*');
  return (s) => wildcardMatch(s, glob);
}

/** Classic greedy wildcard match: `?` is one character, `*` any run (possibly empty). */
function wildcardMatch(text: string, glob: string): boolean {
  let t = 0;
  let g = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      t++;
      g++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      mark = t;
    } else if (star !== -1) {
      g = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

/** The same algorithm one level up: items are path segments, `**` (null) is any run of segments. */
function matchSegments(segments: readonly string[], matchers: readonly SegmentMatcher[]): boolean {
  let s = 0;
  let m = 0;
  let star = -1;
  let mark = 0;
  while (s < segments.length) {
    const matcher = m < matchers.length ? matchers[m] : undefined;
    if (matcher && matcher(segments[s])) {
      s++;
      m++;
    } else if (matcher === GLOBSTAR) {
      star = m++;
      mark = s;
    } else if (star !== -1) {
      m = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (m < matchers.length && matchers[m] === GLOBSTAR) m++;
  return m === matchers.length;
}

/** The first segment of a canonical path. */
export function firstSegmentOf(path: string): string {
  const slash = path.indexOf('/', 1);
  return slash === -1 ? path.slice(1) : path.slice(1, slash);
}

/** Split a canonical path into its segments. */
function pathSegments(path: string): string[] {
  return path.slice(1).split('/');
}
