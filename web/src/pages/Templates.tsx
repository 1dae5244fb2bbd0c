import { useState } from 'preact/hooks';
import { ApiError, createTemplate, listTemplates, retireTemplate, type Template, type TemplateField } from '../api';
import { ErrorBox, Field, Options, Table, useLoad } from '../ui';

const TYPES: TemplateField['type'][] = ['text', 'url', 'password', 'note', 'otpSeed', 'recoveryCodes'];

interface DraftField {
  name: string;
  type: TemplateField['type'];
  required: boolean;
  description: string;
}

export function Templates({ canManage }: { canManage: boolean }) {
  const templates = useLoad(listTemplates, []);
  return (
    <>
      <h1>Templates</h1>
      <ErrorBox error={templates.error} />
      <ul class="cards">
        {(templates.data?.items ?? []).map((t) => (
          <li key={t.id} class="card">
            <h2>
              {t.name} <span class="meta">{t.id}{t.builtin ? ' · built in' : ` · version ${t.version ?? 1}`}</span>
            </h2>
            {t.description && <p>{t.description}</p>}
            <Table
              caption={`Fields of ${t.name}`}
              hideCaption
              headers={['Field', 'Type', 'Required', 'Sensitive']}
              rows={t.fields.map((f) => ({ key: f.name, cells: [f.name, f.type, f.required ? 'yes' : 'no', f.sensitive ? 'yes' : 'no'] }))}
            />
            {canManage && !t.builtin && <Retire template={t} onDone={templates.reload} />}
          </li>
        ))}
      </ul>
      {canManage && <NewTemplate onCreated={templates.reload} />}
    </>
  );
}

/** Retiring asks once more: the template leaves the list and makes no new secret (its secrets keep working). */
function Retire({ template, onDone }: { template: Template; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!confirming) {
    return (
      <p class="buttons">
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          Retire<span class="sr-only"> {template.name}</span>…
        </button>
      </p>
    );
  }
  return (
    <>
      <ErrorBox error={error} />
      <p class="confirm">
        Retire {template.name}? No new secret can be built from it; the secrets built from it keep working.{' '}
        <button type="button" class="danger" onClick={() => retireTemplate(template.id, template.version).then(onDone, (failure: unknown) => setError(failure))}>
          Yes, retire
        </button>{' '}
        <button type="button" class="secondary" onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </p>
    </>
  );
}

/** A new template; changing one goes through the API or the CLI (`otpvault templates replace`). */
function NewTemplate({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [fields, setFields] = useState<DraftField[]>([{ name: '', type: 'text', required: true, description: '' }]);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState('');
  const fieldError = (key: string) => (error instanceof ApiError ? error.forField(key) : undefined);
  const update = (index: number, patch: Partial<DraftField>) => setFields(fields.map((f, i) => (i === index ? { ...f, ...patch } : f)));

  return (
    <form
      class="card"
      onSubmit={(event) => {
        event.preventDefault();
        setError(undefined);
        createTemplate({ name, description, fields: fields.map((f) => ({ name: f.name, type: f.type, required: f.required, ...(f.description && { description: f.description }) })) }).then(
          (created) => {
            setSaved(`Template ${created.id} created.`);
            onCreated();
          },
          (failure: unknown) => setError(failure),
        );
      }}
      noValidate
    >
      <h2>New template</h2>
      <Field id="tpl-name" label="Name" error={fieldError('name')}>
        <input id="tpl-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id="tpl-description" label="Description (optional)" error={fieldError('description')}>
        <input id="tpl-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      {fields.map((f, i) => (
        <fieldset key={i} class="row">
          <legend>Field {i + 1}</legend>
          <Field id={`tpl-f${i}-name`} label="Name" error={fieldError(`fields.${i}.name`)}>
            <input id={`tpl-f${i}-name`} value={f.name} onInput={(e) => update(i, { name: e.currentTarget.value })} />
          </Field>
          <Field id={`tpl-f${i}-type`} label="Type" error={fieldError(`fields.${i}.type`)}>
            <select id={`tpl-f${i}-type`} value={f.type} onChange={(e) => update(i, { type: e.currentTarget.value as DraftField['type'] })}>
              <Options values={TYPES} />
            </select>
          </Field>
          <Field id={`tpl-f${i}-description`} label="Help text">
            <input id={`tpl-f${i}-description`} value={f.description} onInput={(e) => update(i, { description: e.currentTarget.value })} />
          </Field>
          <label class="choice">
            <input type="checkbox" checked={f.required} onChange={(e) => update(i, { required: e.currentTarget.checked })} /> required
          </label>
          {fields.length > 1 && (
            <button type="button" class="small secondary" onClick={() => setFields(fields.filter((_, j) => j !== i))}>
              Remove field {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <ErrorBox error={error instanceof ApiError && Object.keys(error.fields).length === 0 ? error : fieldError('fields')} />
      <p class="buttons">
        <button type="button" class="secondary" onClick={() => setFields([...fields, { name: '', type: 'text', required: false, description: '' }])}>
          Add a field
        </button>
        <button type="submit">Create template</button>
      </p>
      <p role="status">{saved}</p>
    </form>
  );
}
