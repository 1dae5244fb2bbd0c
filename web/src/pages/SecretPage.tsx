import { useState } from 'preact/hooks';
import { deleteSecret, getSecret, listMySecrets, revealField, type FieldView, type SecretView } from '../api';
import { href, navigate } from '../router';
import { copyText, ErrorBox, formatTime, useLoad } from '../ui';
import { OtpCode } from './OtpCode';
import { RecoveryCodes } from './RecoveryCodes';
import { AddSecret } from './AddSecret';
import { RequestAccess } from './RequestAccess';

type OtpField = Extract<FieldView, { digits: number }>;
type RecoveryField = Extract<FieldView, { total: number }>;

const isOtp = (field: FieldView): field is OtpField => typeof field === 'object' && 'digits' in field;
const isRecovery = (field: FieldView): field is RecoveryField => typeof field === 'object' && 'total' in field;
const isSensitive = (field: FieldView): field is { sensitive: true; set: true } => typeof field === 'object' && 'sensitive' in field;

export function SecretPage({ secretId, sub }: { secretId: string; sub?: string }) {
  const secret = useLoad(() => getSecret(secretId), [secretId]);
  // What the caller may do here decides which buttons show (the API checks each request anyway).
  const entry = useLoad(
    async () => (secret.data ? (await listMySecrets({ prefix: secret.data.path })).items.find((s) => s.id === secretId) : undefined),
    [secret.data?.path],
  );
  const now = Date.now();
  // Actions held under an approved grant count while the grant lasts (the API checks the time too).
  const granted = (entry.data?.granted ?? []).filter((g) => Date.parse(g.until) > now);
  const actions = { data: entry.error ? undefined : [...(entry.data?.actions ?? []), ...granted.map((g) => g.action)] };
  if (secret.error) {
    return (
      <>
        <h1>Secret</h1>
        <ErrorBox error={secret.error} />
        <p>
          <a href={href('secrets')}>Back to My secrets</a>
        </p>
      </>
    );
  }
  if (!secret.data) return <p aria-live="polite">Loading…</p>;
  const view = secret.data;
  const may = new Set<string>(actions.data ?? []);
  if (sub === 'seed' || sub === 'recovery') return <AddSecret existing={view} part={sub} onDone={secret.reload} />;
  const entries = Object.entries(view.fields);
  const otp = entries.find(([, f]) => isOtp(f)) as [string, OtpField] | undefined;
  const recovery = entries.find(([, f]) => isRecovery(f)) as [string, RecoveryField] | undefined;

  return (
    <>
      <p class="crumb">
        <a href={href('secrets')}>My secrets</a>
      </p>
      <h1 class="path" data-testid="secret-path">
        {view.path}
      </h1>
      {view.description && <p>{view.description}</p>}
      {entry.data?.needsApproval && (
        <RequestAccess secretId={view.id} needsApproval={entry.data.needsApproval} granted={granted} onChange={entry.reload} />
      )}
      {otp && otp[1].set && (may.has('otp:generate') || !actions.data) && <OtpCode key={granted.length} secretId={view.id} type={otp[1].type} />}
      <section aria-labelledby="fields-title">
        <h2 id="fields-title">Fields</h2>
        <dl class="fields">
          {entries.map(([name, field]) => (
            <FieldRow key={name} secretId={view.id} name={name} field={field} mayReveal={may.has('secret:reveal')} />
          ))}
        </dl>
      </section>
      {recovery && <RecoveryCodes secretId={view.id} total={recovery[1].total} remaining={recovery[1].remaining} allowed={may.has('recovery:reveal')} />}
      <Manage view={view} may={may} hasOtp={Boolean(otp)} />
      <p class="meta">
        Template {view.template} · version {view.version} · created {formatTime(view.createdAt)} by {view.createdBy} · changed {formatTime(view.updatedAt)} by{' '}
        {view.updatedBy}
      </p>
    </>
  );
}

function FieldRow({ secretId, name, field, mayReveal }: { secretId: string; name: string; field: FieldView; mayReveal: boolean }) {
  const [value, setValue] = useState<string>();
  const [error, setError] = useState<unknown>();
  if (typeof field === 'string') {
    return (
      <>
        <dt>{name}</dt>
        <dd>{/^https?:\/\//.test(field) ? <a href={field} rel="noopener noreferrer" target="_blank">{field}</a> : field}</dd>
      </>
    );
  }
  if (isOtp(field)) {
    return (
      <>
        <dt>{name}</dt>
        <dd>
          {field.set ? otpSummary(field) : 'not set'}
          <span class="meta"> · seed never shown · set {formatTime(field.updatedAt)}</span>
        </dd>
      </>
    );
  }
  if (isRecovery(field)) {
    return (
      <>
        <dt>{name}</dt>
        <dd>{field.total} recovery codes (handed out one at a time below)</dd>
      </>
    );
  }
  if (isSensitive(field)) {
    return (
      <>
        <dt>{name}</dt>
        <dd>
          {value === undefined ? (
            <>
              <span aria-label="hidden value">••••••••</span>{' '}
              {mayReveal && (
                <button
                  type="button"
                  class="small"
                  onClick={() =>
                    revealField(secretId, name).then(
                      (answer) => setValue(answer.value),
                      (failure: unknown) => setError(failure),
                    )
                  }
                >
                  Reveal <span class="sr-only">{name}</span>
                </button>
              )}
            </>
          ) : (
            <>
              <code data-testid={`revealed-${name}`}>{value}</code>{' '}
              <button type="button" class="small" onClick={() => void copyText(value)}>
                Copy
              </button>{' '}
              <button type="button" class="small secondary" onClick={() => setValue(undefined)}>
                Hide
              </button>
            </>
          )}
          <ErrorBox error={error} />
        </dd>
      </>
    );
  }
  return null;
}

function Manage({ view, may, hasOtp }: { view: SecretView; may: Set<string>; hasOtp: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!may.has('seed:overwrite') && !may.has('secret:write')) return null;
  return (
    <section aria-labelledby="manage-title">
      <h2 id="manage-title">Change</h2>
      <p class="buttons">
        {hasOtp && may.has('seed:overwrite') && (
          <a class="button secondary" href={href('secrets', view.id, 'seed')}>
            Replace the OTP seed
          </a>
        )}
        {may.has('secret:write') && (
          <a class="button secondary" href={href('secrets', view.id, 'recovery')}>
            Replace recovery codes
          </a>
        )}
        {may.has('secret:write') && !confirming && (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </p>
      {confirming && (
        <div class="confirm" role="group" aria-labelledby="delete-confirm">
          <p id="delete-confirm">
            Delete <strong>{view.path}</strong> with its seed and recovery codes? This cannot be undone.
          </p>
          <button
            type="button"
            class="danger"
            onClick={() => deleteSecret(view.id).then(() => navigate('secrets'), (failure: unknown) => setError(failure))}
          >
            Yes, delete it
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

/** "TOTP Acme: alice, 6 digits, SHA1, 30 s"; a seed without issuer or account (a setup key, a label-less URI) leaves no stray separator. */
function otpSummary(f: { type: string; issuer: string; account: string; digits: number; algorithm: string; period: number | null; encoder: string }): string {
  const who = [f.issuer, f.account].filter((part) => part.length > 0).join(': ');
  const length = f.encoder === 'steam' ? `${f.digits} Steam Guard characters` : `${f.digits} digits`;
  return [`${f.type.toUpperCase()}${who ? ` ${who}` : ''}`, length, f.algorithm, ...(f.period ? [`${f.period} s`] : [])].join(', ');
}
