import { SECRET_LIMITS } from '../secrets/schema';
import type { ListQuery, SecretStore } from '../secrets/SecretStore';
import { secretView, type SecretView } from '../secrets/view';

/**
 * Most secrets one listing request reads before it answers: with a caller who may read few of
 * many secrets, a page may then hold fewer than `limit` items (even none) and still carry a
 * `nextCursor`; callers follow the cursor until it is absent.
 */
export const LIST_READ_BUDGET = 5 * SECRET_LIMITS.listMaxLimit;

/** Index reads per request, whatever they return. */
const MAX_READS = 12;

export interface ReadablePage {
  items: SecretView[];
  nextCursor?: string;
  /** Secrets read to fill the page (readable or not). */
  examined: number;
}

/**
 * A page of the secrets the caller may read, in path order: pages of the index are read and
 * filtered with `readable` until `limit` readable secrets are found, the index ends, or
 * `LIST_READ_BUDGET` secrets have been read. The cursor resumes right after the last secret
 * returned (or read, when the budget ran out), so nothing is skipped or repeated.
 *
 * @param store - the secret store
 * @param query - prefix or exact path, page size and cursor as the caller gave them
 * @param readable - the paths, of those given, the caller may `secret:read`
 * @example
 * await listReadable(deps.secrets, input.query, (paths) => new Set(paths.filter(...)));
 */
export async function listReadable(
  store: Pick<SecretStore, 'list' | 'cursorAfter'>,
  query: ListQuery,
  readable: (paths: string[]) => ReadonlySet<string>,
): Promise<ReadablePage> {
  const items: SecretView[] = [];
  let cursor = query.cursor;
  let examined = 0;
  for (let reads = 1; ; reads++) {
    const wanted = query.limit - items.length;
    // First read as if everything were readable; once filtering bites, read larger pages.
    const pageSize = examined === 0 ? wanted : SECRET_LIMITS.listMaxLimit;
    const page = await store.list({ ...query, limit: Math.min(pageSize, LIST_READ_BUDGET - examined), cursor });
    examined += page.items.length;
    const allowed = readable(page.items.map((s) => s.path));
    for (const secret of page.items) {
      if (!allowed.has(secret.path)) continue;
      items.push(secretView(secret));
      if (items.length === query.limit) {
        const last = secret === page.items[page.items.length - 1];
        const more = !last || page.nextCursor !== undefined;
        return { items, examined, ...(more ? { nextCursor: store.cursorAfter(secret) } : {}) };
      }
    }
    if (page.nextCursor === undefined) return { items, examined };
    if (examined >= LIST_READ_BUDGET || reads >= MAX_READS) return { items, examined, nextCursor: page.nextCursor };
    cursor = page.nextCursor;
  }
}
