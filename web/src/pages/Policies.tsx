import { useState } from 'preact/hooks';
import { ApiError, createPolicy, deletePolicy, listPolicies, replacePolicy, simulatePolicy, type PolicyView, type Simulation } from '../api';
import { ACTIONS } from '../../../shared/policy/actions';
import { ErrorBox, Field, Options, Table, useLoad } from '../ui';


const EXAMPLE = {
  name: 'ops codes',
  effect: 'allow',
  principals: ['group:ops'],
  resources: ['/aws/**'],
  actions: ['otp:generate', 'secret:read'],
};

/** The editable part of a stored policy, as pretty JSON. */
function documentText(policy: PolicyView): string {
  const { name, description, effect, principals, resources, actions, conditions } = policy;
  return JSON.stringify({ name, ...(description !== undefined && { description }), effect, principals, resources, actions, ...(conditions && { conditions }) }, null, 2);
}

export function Policies() {
  const policies = useLoad(listPolicies, []);
  const [editing, setEditing] = useState<PolicyView | 'new'>();
  return (
    <>
      <h1>Policies</h1>
      <p class="help">Default deny. A deny that applies beats every allow. “*” matches within one path segment, “**” any depth.</p>
      <ErrorBox error={policies.error} />
      <ul class="cards">
        {(policies.data?.items ?? []).map((p) => (
          <li key={p.id} class="card">
            <h2>
              <span class={`badge result-${p.effect === 'deny' ? 'denied' : 'allowed'}`}>{p.effect}</span> {p.name}{' '}
              <span class="meta">
                {p.id}
                {p.builtin ? ' · built in' : ` · version ${p.version ?? 1}`}
              </span>
            </h2>
            {p.description && <p>{p.description}</p>}
            <dl class="fields">
              <dt>principals</dt>
              <dd>{p.principals.join(', ')}</dd>
              <dt>resources</dt>
              <dd>{p.resources.join(', ')}</dd>
              <dt>actions</dt>
              <dd>{p.actions.join(', ')}</dd>
              {p.conditions && (
                <>
                  <dt>conditions</dt>
                  <dd>
                    <code>{JSON.stringify(p.conditions)}</code>
                  </dd>
                </>
              )}
            </dl>
            {!p.builtin && (
              <button type="button" class="small secondary" onClick={() => setEditing(p)}>
                Edit {p.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      {editing ? (
        <PolicyEditor
          key={editing === 'new' ? 'new' : editing.id}
          policy={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(undefined);
            policies.reload();
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          New policy
        </button>
      )}
      <Simulator />
    </>
  );
}

function PolicyEditor({ policy, onDone }: { policy?: PolicyView; onDone: () => void }) {
  const [text, setText] = useState(policy ? documentText(policy) : JSON.stringify(EXAMPLE, null, 2));
  const [error, setError] = useState<unknown>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const save = async () => {
    setError(undefined);
    let document: Parameters<typeof createPolicy>[0];
    try {
      document = JSON.parse(text) as Parameters<typeof createPolicy>[0];
    } catch {
      return setError(new Error('the policy is not valid JSON'));
    }
    try {
      if (policy) await replacePolicy(policy.id, document, policy.version);
      else await createPolicy(document);
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  const problems = error instanceof ApiError ? Object.entries(error.fields) : [];
  return (
    <form
      class="card"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2>{policy ? `Edit ${policy.name}` : 'New policy'}</h2>
      <Field id="policy-json" label="Policy document (JSON)" help="name, effect (allow|deny), principals, resources, actions, optional description and conditions.">
        <textarea id="policy-json" rows={14} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-invalid={error ? true : undefined} />
      </Field>
      {problems.length > 0 ? (
        <ul class="field-error" role="alert">
          {problems.map(([field, message]) => (
            <li key={field}>
              <code>{field}</code>: {message}
            </li>
          ))}
        </ul>
      ) : (
        <ErrorBox error={error} />
      )}
      <p class="buttons">
        <button type="submit">{policy ? 'Save changes' : 'Create policy'}</button>
        <button type="button" class="secondary" onClick={onDone}>
          Cancel
        </button>
        {policy && !confirmDelete && (
          <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        )}
      </p>
      {policy && confirmDelete && (
        <p class="confirm">
          Delete {policy.name}? Access it grants ends now.{' '}
          <button type="button" class="danger" onClick={() => deletePolicy(policy.id, policy.version).then(onDone, (failure: unknown) => setError(failure))}>
            Yes, delete
          </button>
        </p>
      )}
    </form>
  );
}

function Simulator() {
  const [principal, setPrincipal] = useState('user:bob');
  const [groups, setGroups] = useState('ops');
  const [action, setAction] = useState<(typeof ACTIONS)[number]>('otp:generate');
  const [path, setPath] = useState('/aws/prod/root');
  const [sourceIp, setSourceIp] = useState('');
  const [result, setResult] = useState<Simulation>();
  const [error, setError] = useState<unknown>();
  const err = (key: string) => (error instanceof ApiError ? error.forField(key) : undefined);
  return (
    <form
      class="card"
      onSubmit={(event) => {
        event.preventDefault();
        setError(undefined);
        simulatePolicy({
          principal,
          groups: groups.split(',').map((g) => g.trim()).filter(Boolean),
          action,
          path,
          ...(sourceIp.trim() && { sourceIp: sourceIp.trim() }),
        }).then(setResult, (failure: unknown) => {
          setResult(undefined);
          setError(failure);
        });
      }}
      noValidate
    >
      <h2>Simulate a request</h2>
      <div class="row">
        <Field id="sim-principal" label="Caller" error={err('principal')}>
          <input id="sim-principal" value={principal} onInput={(e) => setPrincipal(e.currentTarget.value)} />
        </Field>
        <Field id="sim-groups" label="Groups (comma-separated)" error={err('groups')}>
          <input id="sim-groups" value={groups} onInput={(e) => setGroups(e.currentTarget.value)} />
        </Field>
        <Field id="sim-action" label="Action" error={err('action')}>
          <select id="sim-action" value={action} onChange={(e) => setAction(e.currentTarget.value as (typeof ACTIONS)[number])}>
            <Options values={ACTIONS} />
          </select>
        </Field>
        <Field id="sim-path" label="Path" error={err('path')}>
          <input id="sim-path" value={path} onInput={(e) => setPath(e.currentTarget.value)} />
        </Field>
        <Field id="sim-ip" label="Source IP (optional)" error={err('sourceIp')}>
          <input id="sim-ip" value={sourceIp} onInput={(e) => setSourceIp(e.currentTarget.value)} />
        </Field>
      </div>
      <p class="buttons">
        <button type="submit">Simulate</button>
      </p>
      <ErrorBox error={error instanceof ApiError && Object.keys(error.fields).length > 0 ? undefined : error} />
      {result && (
        <div class="simulation" data-testid="simulation" role="status">
          <p class={`verdict result-${result.allowed ? 'allowed' : 'denied'}`}>
            {result.allowed ? 'Allowed' : 'Denied'}: {result.reason}
          </p>
          {result.evaluated.length > 0 && (
            <Table
              caption="Policies naming the caller"
              headers={['Policy', 'Effect', 'Outcome', 'Why']}
              rows={result.evaluated.map((e) => ({ key: e.id, cells: [e.name, e.effect, e.outcome, e.note] }))}
            />
          )}
        </div>
      )}
    </form>
  );
}
