import { useState } from 'preact/hooks';
import { ApiError, createTemplate, listTemplates, replaceTemplate, retireTemplate, type Template, type TemplateField } from '../api';
import { ErrorBox, Field, Options, Table, useLoad } from '../ui';

const TYPES: TemplateField['type'][] = ['text', 'url', 'password', 'note', 'otpSeed', 'recoveryCodes'];

interface DraftField {
  name: string;
  type: TemplateField['type'];
  required: boolean;
  description: string;
  /** A field the template already has: its secrets may hold it, so its name, type and sensitivity stay. */
  kept?: { sensitive: boolean };
}

export function Templates({ canManage }: { canManage: boolean }) {
  const templates = useLoad(listTemplates, []);
  const [editing, setEditing] = useState<string>();
  const edited = () => {
    setEditing(undefined);
    templates.reload();
  };
  return (
    <>
      <h1>Templates</h1>
      <ErrorBox error={templates.error} />
      <ul class="cards">
        {(templates.data?.items ?? []).map((t) =>
          editing === t.id ? (
            <li key={t.id}>
              <TemplateForm template={t} onDone={edited} onCancel={() => setEditing(undefined)} />
            </li>
          ) : (
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
              {canManage && !t.builtin && <TemplateActions template={t} onEdit={() => setEditing(t.id)} onDone={templates.reload} />}
            </li>
          ),
        )}
      </ul>
      {canManage && <TemplateForm onDone={templates.reload} />}
    </>
  );
}

/** Change or retire a custom template; retiring asks once more (it leaves the list and makes no new secret; its secrets keep working). */
function TemplateActions({ template, onEdit, onDone }: { template: Template; onEdit: () => void; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!confirming) {
    return (
      <p class="buttons">
        <button type="button" class="secondary" onClick={onEdit}>
          Change<span class="sr-only"> {template.name}</span>…
        </button>
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

/**
 * A new template, or a change to `template`: the fields it has keep their name and type (the secrets
 * built from it may hold them), and fields can be added.
 */
function TemplateForm({ template, onDone, onCancel }: { template?: Template; onDone: () => void; onCancel?: () => void }) {
  const blank = (required: boolean): DraftField => ({ name: '', type: 'text', required, description: '' });
  const [name, setName] = useState(template?.name ?? '');
  const [description, setDescription] = useState(template?.description ?? '');
  const [fields, setFields] = useState<DraftField[]>(
    template ? template.fields.map((f) => ({ name: f.name, type: f.type, required: f.required, description: f.description ?? '', kept: { sensitive: f.sensitive } })) : [blank(true)],
  );
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState('');
  const fieldError = (key: string) => (error instanceof ApiError ? error.forField(key) : undefined);
  const update = (index: number, patch: Partial<DraftField>) => setFields(fields.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  const id = (part: string) => `tpl-${template?.id ?? 'new'}-${part}`;
  const body = () => ({
    name,
    description,
    fields: fields.map((f) => ({ name: f.name, type: f.type, required: f.required, ...(f.kept && { sensitive: f.kept.sensitive }), ...(f.description && { description: f.description }) })),
  });

  return (
    <form
      class="card"
      onSubmit={(event) => {
        event.preventDefault();
        setError(undefined);
        const sent = template ? replaceTemplate(template.id, body(), template.version) : createTemplate(body());
        sent.then(
          (answer) => {
            setSaved(template ? `Template ${answer.id} saved (version ${answer.version ?? 1}).` : `Template ${answer.id} created.`);
            onDone();
          },
          (failure: unknown) => setError(failure),
        );
      }}
      noValidate
    >
      <h2>{template ? `Change ${template.name}` : 'New template'}</h2>
      <Field id={id('name')} label="Name" error={fieldError('name')}>
        <input id={id('name')} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id={id('description')} label="Description (optional)" error={fieldError('description')}>
        <input id={id('description')} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      {template && <p class="help">Fields the template has keep their name and type: secrets built from it may hold them. You can add fields.</p>}
      {fields.map((f, i) => (
        <fieldset key={i} class="row">
          <legend>Field {i + 1}</legend>
          <Field id={id(`f${i}-name`)} label="Name" error={fieldError(`fields.${i}.name`)}>
            <input id={id(`f${i}-name`)} value={f.name} readOnly={f.kept !== undefined} onInput={(e) => update(i, { name: e.currentTarget.value })} />
          </Field>
          <Field id={id(`f${i}-type`)} label="Type" error={fieldError(`fields.${i}.type`)}>
            <select id={id(`f${i}-type`)} value={f.type} disabled={f.kept !== undefined} onChange={(e) => update(i, { type: e.currentTarget.value as DraftField['type'] })}>
              <Options values={TYPES} />
            </select>
          </Field>
          <Field id={id(`f${i}-description`)} label="Help text">
            <input id={id(`f${i}-description`)} value={f.description} onInput={(e) => update(i, { description: e.currentTarget.value })} />
          </Field>
          <label class="choice">
            <input type="checkbox" checked={f.required} onChange={(e) => update(i, { required: e.currentTarget.checked })} /> required
          </label>
          {fields.length > 1 && !f.kept && (
            <button type="button" class="small secondary" onClick={() => setFields(fields.filter((_, j) => j !== i))}>
              Remove field {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <ErrorBox error={error instanceof ApiError && Object.keys(error.fields).length === 0 ? error : fieldError('fields')} />
      <p class="buttons">
        <button type="button" class="secondary" onClick={() => setFields([...fields, blank(false)])}>
          Add a field
        </button>
        <button type="submit">{template ? 'Save changes' : 'Create template'}</button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </p>
      <p role="status">{saved}</p>
    </form>
  );
}
