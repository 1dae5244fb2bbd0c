import { useEffect, useRef, useState } from 'preact/hooks';
import { exportAudit, queryAudit, type AuditEvent, type AuditQuery } from '../api';
import { ACTIONS } from '../../../shared/policy/actions';
import { ErrorBox, Field, formatTime, Options } from '../ui';

interface Filters {
  actor: string;
  target: string;
  action: string;
  result: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { actor: '', target: '', action: '', result: '', from: '', to: '' };
const PAGE = 50;
/** Policy actions, and `authenticate` (refused tokens, audited by the authorizer). */
const AUDIT_ACTIONS = [...ACTIONS, 'authenticate'];

/** The filter form as API query parameters: a path, a secret id, or (ending in `/`) neither. */
function toQuery(filters: Filters): AuditQuery {
  const target = filters.target.trim();
  const isPath = target.startsWith('/');
  const local = (value: string) => (value ? new Date(value).toISOString() : undefined);
  return {
    ...(filters.actor.trim() && { actor: filters.actor.trim() }),
    ...(target && (isPath ? { path: target } : { secretId: target })),
    ...(filters.action && { action: filters.action }),
    ...(filters.result && { result: filters.result as AuditQuery['result'] }),
    ...(filters.from && { from: local(filters.from) }),
    ...(filters.to && { to: local(filters.to) }),
  };
}

/** One event as a sentence: who did what to which secret, and how it ended. */
function sentence(event: AuditEvent): string {
  const target = event.target.path ?? event.target.secretId ?? event.target.policyId ?? event.target.templateId ?? '';
  if (event.action === 'otp:generate' && event.result === 'allowed') {
    const step = event.details.timeStep !== undefined ? ` (time step ${event.details.timeStep})` : event.details.counter !== undefined ? ` (counter ${event.details.counter})` : '';
    return `${event.actor.principal} generated a code for ${target}${step}`;
  }
  return `${event.actor.principal} · ${event.action}${target ? ` · ${target}` : ''}`;
}

export function AuditLog() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const [exportError, setExportError] = useState<unknown>();
  const sentinel = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  const loadMore = async (reset: boolean) => {
    const mine = reset ? ++generation.current : generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await queryAudit({ ...toQuery(filters), limit: PAGE, ...(!reset && cursor ? { cursor } : {}) });
      if (mine !== generation.current) return;
      setItems((previous) => (reset ? page.items : [...previous, ...page.items]));
      setCursor(page.nextCursor);
      setDone(!page.nextCursor);
    } catch (failure) {
      if (mine === generation.current) setError(failure);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    setItems([]);
    setCursor(undefined);
    setDone(false);
    void loadMore(true);
  }, [filters]);

  // Infinite scroll: the next page loads when the end of the list comes into view.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || done || loading || error) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore(false);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, done, loading, error]);

  const download = async (format: 'csv' | 'jsonl') => {
    setExportError(undefined);
    try {
      const file = await exportAudit({ ...toQuery(filters), format });
      const url = URL.createObjectURL(file.blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setExportError(failure);
    }
  };

  const input = (name: keyof Filters) => ({
    id: `audit-${name}`,
    value: draft[name],
    onInput: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [name]: e.currentTarget.value }),
  });

  return (
    <>
      <h1>Audit Log</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ ...draft });
        }}
      >
        <Field id="audit-actor" label="Who">
          <input {...input('actor')} placeholder="user:alice" autoComplete="off" />
        </Field>
        <Field id="audit-target" label="Secret path or id">
          <input {...input('target')} placeholder="/aws/prod/root" autoComplete="off" />
        </Field>
        <Field id="audit-action" label="Action">
          <select {...input('action')} onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}>
            <Options any="Any" values={AUDIT_ACTIONS} />
          </select>
        </Field>
        <Field id="audit-result" label="Result">
          <select {...input('result')} onChange={(e) => setDraft({ ...draft, result: e.currentTarget.value })}>
            <Options any="Any" values={['allowed', 'denied', 'error']} />
          </select>
        </Field>
        <Field id="audit-from" label="From">
          <input type="datetime-local" {...input('from')} />
        </Field>
        <Field id="audit-to" label="To">
          <input type="datetime-local" {...input('to')} />
        </Field>
        <p class="buttons">
          <button type="submit">Search</button>
          <button type="button" class="secondary" onClick={() => void download('csv')}>
            Export CSV
          </button>
          <button type="button" class="secondary" onClick={() => void download('jsonl')}>
            Export JSON
          </button>
        </p>
      </form>
      <p class="help">Newest first. Without a who or a secret, the search covers the last 24 hours unless you give a range.</p>
      <ErrorBox error={exportError} />
      <ol class="events" data-testid="audit-events" aria-live="polite">
        {items.map((event) => (
          <li key={event.eventId} class={`event result-${event.result}`} data-testid="audit-event" data-action={event.action} data-result={event.result}>
            <div class="event-head">
              <span class={`badge result-${event.result}`}>{event.result === 'denied' ? 'DENIED' : event.result === 'error' ? 'ERROR' : 'allowed'}</span>
              <time dateTime={event.time}>{formatTime(event.time)}</time>
              <span class="status-code">{event.status}</span>
            </div>
            <p class="event-text">{sentence(event)}</p>
            <p class="event-reason">{event.reason}</p>
            <details>
              <summary>Details</summary>
              <dl class="fields">
                <dt>operation</dt>
                <dd>{event.operation}</dd>
                <dt>groups</dt>
                <dd>{event.actor.groups.join(', ') || '—'}</dd>
                <dt>source</dt>
                <dd>
                  {event.source.ip} · {event.source.userAgent}
                </dd>
                <dt>request</dt>
                <dd>{event.requestId}</dd>
                {Object.entries(event.details).map(([key, value]) => (
                  <>
                    <dt key={`k-${key}`}>{key}</dt>
                    <dd key={`v-${key}`}>{String(value)}</dd>
                  </>
                ))}
              </dl>
            </details>
          </li>
        ))}
      </ol>
      <ErrorBox error={error} />
      {!loading && items.length === 0 && !error && <p class="empty">No events match.</p>}
      <div ref={sentinel} class="sentinel" />
      {loading && <p aria-live="polite">Loading…</p>}
      {!loading && !done && !error && (
        <button type="button" class="secondary" onClick={() => void loadMore(false)}>
          Load more
        </button>
      )}
      {done && items.length > 0 && <p class="meta">End of the log for this search.</p>}
    </>
  );
}
