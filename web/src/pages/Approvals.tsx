import { useState } from 'preact/hooks';
import { approveAccessRequest, collectAccessRequests, denyAccessRequest, withdrawAccessRequest, type AccessRequestView } from '../api';
import { href } from '../router';
import { ErrorBox, formatTime, useLoad } from '../ui';

/** Requests each list shows at most. */
const SHOWN = 100;

/** The approvals inbox (pending requests the caller may decide) and the caller's own requests. */
export function Approvals() {
  const inbox = useLoad(() => collectAccessRequests({ toApprove: 'true' }, SHOWN), []);
  const mine = useLoad(() => collectAccessRequests({ mine: 'true' }, SHOWN), []);
  const reload = () => {
    inbox.reload();
    mine.reload();
  };
  return (
    <>
      <h1>Approvals</h1>
      <section aria-labelledby="inbox-title">
        <h2 id="inbox-title">To approve</h2>
        <ErrorBox error={inbox.error} />
        {inbox.loading && !inbox.data && <p aria-live="polite">Loading…</p>}
        {inbox.data && inbox.data.items.length === 0 && (
          <p class="empty" data-testid="no-approvals">
            Nothing waits for your decision.
          </p>
        )}
        <ul class="cards">
          {inbox.data?.items.map((request) => <ToApprove key={request.id} request={request} onDone={reload} />)}
        </ul>
        {inbox.data?.more && <p class="meta">The newest {inbox.data.items.length} are shown; decide them to see older ones.</p>}
      </section>
      <section aria-labelledby="mine-title">
        <h2 id="mine-title">My requests</h2>
        <ErrorBox error={mine.error} />
        {mine.data && mine.data.items.length === 0 && <p class="empty">You have not asked for access.</p>}
        <ul class="cards">
          {mine.data?.items.map((request) => <MyRequest key={request.id} request={request} onDone={reload} />)}
        </ul>
        {mine.data?.more && <p class="meta">Your newest {mine.data.items.length} requests are shown.</p>}
      </section>
    </>
  );
}

function Summary({ request }: { request: AccessRequestView }) {
  return (
    <>
      <h3>
        <a href={href('secrets', request.secretId)}>{request.path}</a>
      </h3>
      <p>
        <strong>{request.requester}</strong> asks for {request.actions.join(', ')} for {request.minutes} min · asked {formatTime(request.createdAt)}
      </p>
      {request.justification && <p class="justification">“{request.justification}”</p>}
      <p class="meta">
        {request.approvals.length} of {request.minApprovals} approval{request.minApprovals === 1 ? '' : 's'}
        {request.approvals.map((a) => ` · ${a.by}${a.comment ? `: “${a.comment}”` : ''}`).join('')} · approvers {request.approvers.join(', ')}
      </p>
    </>
  );
}

function ToApprove({ request, onDone }: { request: AccessRequestView; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = `comment-${request.id}`;
  const decide = (verb: typeof approveAccessRequest) => {
    setBusy(true);
    setError(undefined);
    verb(request.id, comment.trim() || undefined).then(onDone, (failure: unknown) => {
      setError(failure);
      setBusy(false);
    });
  };
  return (
    <li class="card" data-testid="to-approve" data-request={request.id}>
      <Summary request={request} />
      <div class="field">
        <label for={id}>
          Comment (optional)<span class="sr-only"> on {request.requester}’s request for {request.path}</span>
        </label>
        <input id={id} value={comment} onInput={(e) => setComment(e.currentTarget.value)} autoComplete="off" />
      </div>
      <p class="buttons">
        <button type="button" disabled={busy} onClick={() => decide(approveAccessRequest)}>
          Approve<span class="sr-only"> {request.requester}’s request for {request.path}</span>
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => decide(denyAccessRequest)}>
          Deny<span class="sr-only"> {request.requester}’s request for {request.path}</span>
        </button>
      </p>
      <ErrorBox error={error} />
    </li>
  );
}

function MyRequest({ request, onDone }: { request: AccessRequestView; onDone: () => void }) {
  const [error, setError] = useState<unknown>();
  const live = request.status === 'pending' || request.status === 'approved';
  return (
    <li class="card" data-testid="my-request" data-status={request.status}>
      <Summary request={request} />
      <p>
        Status: <strong data-testid="my-request-status">{request.status}</strong>
        {request.status === 'approved' && request.grantUntil && <> · access until {formatTime(request.grantUntil)}</>}
        {request.status === 'pending' && <> · can be decided until {formatTime(request.pendingUntil)}</>}
        {request.decidedBy && <> · by {request.decidedBy}</>}
        {request.comment && <> · “{request.comment}”</>}
      </p>
      {live && (
        <p class="buttons">
          <button type="button" class="secondary" onClick={() => withdrawAccessRequest(request.id).then(onDone, (failure: unknown) => setError(failure))}>
            {request.status === 'approved' ? 'End access now' : 'Withdraw'}
            <span class="sr-only"> request for {request.path}</span>
          </button>
        </p>
      )}
      <ErrorBox error={error} />
    </li>
  );
}
