import { useEffect } from 'preact/hooks';
import { getMe, type Me } from './api';
import type { Session } from './auth/session';
import { AddSecret } from './pages/AddSecret';
import { Approvals } from './pages/Approvals';
import { AuditLog } from './pages/AuditLog';
import { MySecrets } from './pages/MySecrets';
import { Policies } from './pages/Policies';
import { SecretPage } from './pages/SecretPage';
import { Templates } from './pages/Templates';
import { href, useRoute } from './router';
import { ErrorBox, useLoad } from './ui';

/** What the caller may see in the navigation (the API still decides every request). */
export function canWriteSomewhere(me: Me | undefined): boolean {
  return Boolean(me?.permissions.some((p) => p.action === 'secret:write' && p.allow.length > 0));
}

export function App({ session }: { session: Session }) {
  const route = useRoute();
  const me = useLoad(getMe, []);
  const page = route[0] ?? 'secrets';
  const global = new Set(me.data?.globalActions ?? []);
  const links: [string, string, boolean][] = [
    ['secrets', 'My secrets', true],
    ['new', 'Add secret', canWriteSomewhere(me.data)],
    ['approvals', 'Approvals', true],
    ['audit', 'Audit Log', global.has('audit:read')],
    ['templates', 'Templates', global.has('template:manage') || canWriteSomewhere(me.data)],
    ['policies', 'Policies', global.has('policy:manage')],
  ];
  const title = links.find(([id]) => id === page)?.[1] ?? 'Secret';
  useEffect(() => {
    document.title = `${title} · otpvault`;
  }, [title]);

  return (
    <>
      <a class="skip" href="#main" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('secrets')}>
          otpvault
        </a>
        <nav aria-label="Main">
          <ul>
            {links
              .filter(([, , shown]) => shown)
              .map(([id, label]) => (
                <li key={id}>
                  <a href={href(id)} aria-current={page === id ? 'page' : undefined}>
                    {label}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <div class="who">
          {me.data && (
            <span data-testid="me" title={me.data.groups.length > 0 ? `groups: ${me.data.groups.join(', ')}` : 'no groups'}>
              {me.data.principal.name}
            </span>
          )}
          <button type="button" class="link" onClick={() => void session.signOut().then(() => location.assign('/'))}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        <ErrorBox error={me.error} />
        {page === 'secrets' && route[1] ? (
          <SecretPage secretId={route[1]} sub={route[2]} />
        ) : page === 'secrets' ? (
          <MySecrets canAdd={canWriteSomewhere(me.data)} />
        ) : page === 'new' ? (
          <AddSecret />
        ) : page === 'approvals' ? (
          <Approvals />
        ) : page === 'audit' ? (
          <AuditLog />
        ) : page === 'templates' ? (
          <Templates canManage={global.has('template:manage')} />
        ) : page === 'policies' ? (
          <Policies />
        ) : (
          <p>There is no page here. <a href={href('secrets')}>Go to My secrets</a>.</p>
        )}
      </main>
    </>
  );
}
