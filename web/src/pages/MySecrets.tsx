import { useMemo, useState } from 'preact/hooks';
import { listMySecrets, type MySecret } from '../api';
import { href } from '../router';
import { ErrorBox, useLoad } from '../ui';

/** The folder a secret sits in: its path without the last segment (`/` at the top). */
function folderOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

const ACTION_LABELS: Record<string, string> = {
  'otp:generate': 'code',
  'recovery:reveal': 'recovery codes',
  'secret:read': 'read',
  'secret:reveal': 'reveal',
  'secret:write': 'edit',
  'seed:overwrite': 'seed',
};

export function MySecrets({ canAdd }: { canAdd: boolean }) {
  const mine = useLoad(() => listMySecrets(), []);
  const [search, setSearch] = useState('');
  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const byFolder = new Map<string, MySecret[]>();
    for (const secret of mine.data?.items ?? []) {
      if (needle && !secret.path.toLowerCase().includes(needle)) continue;
      const folder = folderOf(secret.path);
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), secret]);
    }
    return [...byFolder.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [mine.data, search]);
  const total = mine.data?.items.length ?? 0;

  return (
    <>
      <div class="title-row">
        <h1>My secrets</h1>
        {canAdd && (
          <a class="button" href={href('new')}>
            Add secret
          </a>
        )}
      </div>
      <div class="field search">
        <label for="search">Search by path</label>
        <input id="search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="/aws/prod" autoComplete="off" />
      </div>
      <ErrorBox error={mine.error} />
      {mine.loading && !mine.data && <p aria-live="polite">Loading…</p>}
      {mine.data && total === 0 && (
        <p class="empty" data-testid="no-secrets">
          You have no secrets yet: no policy lets you use one. Ask an administrator for access.
        </p>
      )}
      {mine.data && total > 0 && groups.length === 0 && <p class="empty">No secret path contains “{search}”.</p>}
      {groups.map(([folder, secrets]) => (
        <section class="group" key={folder} aria-labelledby={`folder-${folder}`}>
          <h2 id={`folder-${folder}`} class="folder">
            {folder}
          </h2>
          <ul class="secrets" data-testid="secret-list">
            {secrets.map((secret) => (
              <li key={secret.id}>
                <a href={href('secrets', secret.id)} data-testid="secret-link">
                  <span class="path">{secret.path}</span>
                </a>
                <span class="actions">
                  {secret.actions
                    .map((a) => ACTION_LABELS[a])
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {mine.data && (
        <p class="meta" aria-live="polite">
          {total} secret{total === 1 ? '' : 's'}
        </p>
      )}
    </>
  );
}
