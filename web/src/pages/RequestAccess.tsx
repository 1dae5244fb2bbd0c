import { useState } from 'preact/hooks';
import { ApiError, collectAccessRequests, createAccessRequest, type AccessRequestView, type GrantView, type MySecret } from '../api';
import { href } from '../router';
import { describedBy, ErrorBox, Field, formatTime, useLoad } from '../ui';

const STATUS_TEXT: Record<AccessRequestView['status'], string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  denied: 'Denied',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

/**
 * Just-in-time access on a secret whose policy needs approval: the grant held now (until when),
 * the caller's latest request for it, and a form to ask when neither is in force.
 */
export function RequestAccess(props: { secretId: string; needsApproval: NonNullable<MySecret['needsApproval']>; granted: GrantView[]; onChange: () => void }) {
  const { secretId, needsApproval, granted } = props;
  // The caller's newest request for this secret, however many for other secrets came after it.
  const forThisSecret = (items: AccessRequestView[]) => items.filter((r) => r.secretId === secretId);
  const mine = useLoad(async () => forThisSecret((await collectAccessRequests({ mine: 'true' }, 1000, (items) => forThisSecret(items).length > 0)).items), [secretId]);
  const [justification, setJustification] = useState('');
  const [minutes, setMinutes] = useState('');
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const latest = mine.data?.[0];
  const heldActions = new Set(granted.map((g) => g.action));
  const missing = needsApproval.filter((a) => !heldActions.has(a));
  const pending = latest?.status === 'pending';
  const until = granted.map((g) => g.until).sort()[0];
  const fieldError = error instanceof ApiError ? error : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setError(undefined);
    try {
      await createAccessRequest({ secretId, actions: missing, justification, ...(minutes ? { minutes: Number(minutes) } : {}) });
      setJustification('');
      setMinutes('');
      mine.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="access-title" class="access">
      <h2 id="access-title">Access by approval</h2>
      <p>
        Using this secret ({needsApproval.join(', ')}) needs a request approved by someone else; the grant ends by itself.{' '}
        <a href={href('approvals')}>All my requests</a>
      </p>
      {until && (
        <p class="granted" data-testid="grant-until" role="status">
          Access granted until <time dateTime={until}>{formatTime(until)}</time> ({[...heldActions].join(', ')}).
        </p>
      )}
      {latest && (
        <p data-testid="request-status" data-status={latest.status} aria-live="polite">
          Your latest request: <strong>{STATUS_TEXT[latest.status]}</strong> · asked {formatTime(latest.createdAt)}
          {latest.status === 'approved' && latest.grantUntil && <> · until {formatTime(latest.grantUntil)}</>}
          {latest.decidedBy && <> · decided by {latest.decidedBy}</>}
          {latest.comment && <> · “{latest.comment}”</>}{' '}
          <button
            type="button"
            class="small secondary"
            onClick={() => {
              mine.reload();
              props.onChange();
            }}
          >
            Check again
          </button>
        </p>
      )}
      <ErrorBox error={mine.error} />
      {missing.length > 0 && !pending && mine.data && (
        <form onSubmit={(event) => void submit(event)} aria-labelledby="request-title" noValidate>
          <h3 id="request-title">Request access</h3>
          <Field id="request-justification" label="Justification" help="Why you need it now (approvers and the audit log see this)." error={fieldError?.forField('justification')}>
            <textarea
              id="request-justification"
              rows={3}
              value={justification}
              onInput={(e) => setJustification(e.currentTarget.value)}
              aria-describedby={describedBy('request-justification', 'help', fieldError?.forField('justification'))}
              aria-invalid={fieldError?.forField('justification') ? 'true' : undefined}
            />
          </Field>
          <Field id="request-minutes" label="Minutes (optional)" help="How long the grant should hold; the policy caps it." error={fieldError?.forField('minutes')}>
            <input
              id="request-minutes"
              type="number"
              inputMode="numeric"
              min={1}
              value={minutes}
              onInput={(e) => setMinutes(e.currentTarget.value)}
              aria-describedby={describedBy('request-minutes', 'help', fieldError?.forField('minutes'))}
              aria-invalid={fieldError?.forField('minutes') ? 'true' : undefined}
            />
          </Field>
          <p class="buttons">
            <button type="submit" disabled={sending}>
              Request access
            </button>
          </p>
          {error !== undefined && !fieldError?.forField('justification') && !fieldError?.forField('minutes') && <ErrorBox error={error} />}
        </form>
      )}
    </section>
  );
}
