/**
 * The resource patterns of a request's applicable policies, bucketed by their literal first
 * segment, so that checking one path looks only at patterns that can match it (those that
 * start with the path's first segment, and those that start with a wildcard). Built per
 * request by `permissionsFor`, after conditions have been evaluated.
 */
import type { CompiledPolicy } from './compile';
import { firstSegmentOf, type PathMatcher } from './pathPattern';

interface Entry {
  readonly mask: number;
  readonly matcher: PathMatcher;
}

export class PathIndex {
  private readonly byFirstSegment = new Map<string, Entry[]>();
  private readonly anyFirstSegment: Entry[] = [];

  /**
   * @param policies - policies that apply to the request
   * @param relevant - the action bits worth indexing; patterns of policies without any are left out
   */
  constructor(policies: readonly CompiledPolicy[], relevant: number) {
    for (const policy of policies) {
      const mask = policy.mask & relevant;
      if (mask === 0) continue;
      for (const matcher of policy.pathMatchers) {
        const entry = { mask, matcher };
        if (matcher.firstSegment === undefined) {
          this.anyFirstSegment.push(entry);
          continue;
        }
        const bucket = this.byFirstSegment.get(matcher.firstSegment);
        if (bucket) bucket.push(entry);
        else this.byFirstSegment.set(matcher.firstSegment, [entry]);
      }
    }
  }

  /**
   * The union of the action bits, within `wanted`, of the patterns matching a canonical path.
   * Stops looking once every wanted bit is found.
   */
  maskFor(path: string, wanted: number): number {
    if (wanted === 0) return 0;
    const found = scan(this.byFirstSegment.get(firstSegmentOf(path)), path, wanted, 0);
    return found === wanted ? found : scan(this.anyFirstSegment, path, wanted, found);
  }
}

function scan(entries: readonly Entry[] | undefined, path: string, wanted: number, found: number): number {
  if (!entries) return found;
  for (const { mask, matcher } of entries) {
    if ((mask & wanted & ~found) !== 0 && matcher.match(path)) {
      found |= mask & wanted;
      if (found === wanted) break;
    }
  }
  return found;
}
