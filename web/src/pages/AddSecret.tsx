import { useState } from 'preact/hooks';
import { ApiError, createSecret, listTemplates, overwriteSeed, replaceRecoveryCodes, type SecretView, type Template, type TemplateField } from '../api';
import { href, navigate } from '../router';
import { describedBy, ErrorBox, Field, useLoad } from '../ui';
import { emptySeed, SeedInput, seedBody, type SeedDraft } from './SeedInput';

/** Fields a seed error may name: the seed's own keys, whether sent alone or as `fields.<otpSeed>`. */
const SEED_KEYS = ['uri', 'setupKey', 'qrImage', 'entry', 'type', 'algorithm', 'digits', 'period', 'counter', 'issuer', 'account'];

/** A wrong device code is the verify field's problem, not the picture's. */
function verifyError(error: unknown, seedField: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.forField(`fields.${seedField}.verifyCode`) ?? error.forField('verifyCode');
}

function seedError(error: unknown, seedField: string): string | undefined {
  if (!(error instanceof ApiError) || verifyError(error, seedField)) return undefined;
  const named = error.forField(`fields.${seedField}`) ?? SEED_KEYS.map((k) => error.forField(k)).find(Boolean);
  if (named) return named;
  // A seed the API cannot use (unreadable picture, wrong verify code) names no field of the form.
  return error.code === 'InvalidSeed' || error.status === 413 ? error.message : undefined;
}

/**
 * Adding a secret (template, path, fields, seed), or, for an existing one, replacing its seed or its
 * recovery codes. API errors are shown next to the field they name; the rest above the button.
 */
export function AddSecret({ existing, part, onDone }: { existing?: SecretView; part?: 'seed' | 'recovery'; onDone?: () => void }) {
  const templates = useLoad(() => (existing ? Promise.resolve({ items: [] as Template[] }) : listTemplates()), []);
  const [templateId, setTemplateId] = useState('');
  const [path, setPath] = useState('');
  const [description, setDescription] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [seed, setSeed] = useState<SeedDraft>(emptySeed);
  const [error, setError] = useState<unknown>();
  const [local, setLocal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);

  const template = templates.data?.items.find((t) => t.id === templateId) ?? (templateId ? undefined : templates.data?.items[0]);
  const fields: TemplateField[] = existing
    ? part === 'seed'
      ? [{ name: Object.keys(existing.fields).find((n) => typeof existing.fields[n] === 'object' && 'digits' in (existing.fields[n] as object)) ?? 'otpSeed', type: 'otpSeed', required: true, sensitive: true }]
      : [{ name: 'recoveryCodes', type: 'recoveryCodes', required: true, sensitive: true }]
    : (template?.fields ?? []);
  const seedField = fields.find((f) => f.type === 'otpSeed');
  const fieldError = (name: string) => (error instanceof ApiError ? error.forField(`fields.${name}`) ?? error.forField(name) : undefined);
  const recoveryLines = (name: string) =>
    (values[name] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setLocal(undefined);
    const body: Record<string, unknown> = {};
    for (const field of fields) {
      if (field.type === 'otpSeed') {
        const built = seedBody(seed);
        if (typeof built === 'string') {
          if (field.required || seed.picture || seed.setupKey || seed.uri) return setLocal(built);
          continue;
        }
        body[field.name] = built;
      } else if (field.type === 'recoveryCodes') {
        const codes = recoveryLines(field.name);
        if (codes.length > 0) body[field.name] = codes;
      } else if (values[field.name]) {
        body[field.name] = values[field.name];
      }
    }
    setBusy(true);
    try {
      if (!existing) {
        const created = await createSecret({ path, template: template?.id ?? '', ...(description && { description }), fields: body });
        navigate('secrets', created.id);
      } else if (part === 'seed' && seedField) {
        await overwriteSeed(existing.id, body[seedField.name] as Parameters<typeof overwriteSeed>[1]);
        onDone?.();
        navigate('secrets', existing.id);
      } else {
        await replaceRecoveryCodes(existing.id, { codes: recoveryLines('recoveryCodes') });
        onDone?.();
        navigate('secrets', existing.id);
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const overwriting = Boolean(existing);
  const heading = !existing ? 'Add a secret' : part === 'seed' ? 'Replace the OTP seed' : 'Replace the recovery codes';
  const unexplained = error instanceof ApiError && Object.keys(error.fields).length === 0 && !seedError(error, seedField?.name ?? 'otpSeed') && !verifyError(error, seedField?.name ?? 'otpSeed') ? error : undefined;
  const pathError = error instanceof ApiError ? (error.forField('path') ?? (error.status === 409 && !existing ? error.message : undefined)) : undefined;

  return (
    <>
      <p class="crumb">
        <a href={existing ? href('secrets', existing.id) : href('secrets')}>{existing ? existing.path : 'My secrets'}</a>
      </p>
      <h1>{heading}</h1>
      {overwriting && (
        <p class="warning" role="note" data-testid="overwrite-warning">
          {part === 'seed'
            ? `This replaces the OTP seed of ${existing?.path}. The old seed is deleted for good: codes from it stop working here, and nobody can get it back.`
            : `This replaces every recovery code of ${existing?.path}, used or not. The old codes are deleted for good.`}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {!existing && (
          <>
            <ErrorBox error={templates.error} />
            <Field id="template" label="Template">
              <select id="template" value={template?.id ?? ''} onChange={(e) => setTemplateId(e.currentTarget.value)}>
                {(templates.data?.items ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </Field>
            {template?.description && <p class="help">{template.description}</p>}
            <Field id="path" label="Path" help="Where the secret lives, e.g. /aws/prod/root; policies grant access by path." error={pathError}>
              <input
                id="path"
                required
                value={path}
                onInput={(e) => setPath(e.currentTarget.value)}
                placeholder="/team/system/account"
                autoComplete="off"
                spellcheck={false}
                aria-invalid={pathError ? true : undefined}
                aria-describedby={describedBy('path', 'help', pathError)}
              />
            </Field>
            <Field id="description" label="Description (optional)" error={error instanceof ApiError ? error.forField('description') : undefined}>
              <input id="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
            </Field>
          </>
        )}
        {fields.map((field) => {
          const id = `field-${field.name}`;
          const label = `${field.description ?? field.name}${field.required ? '' : ' (optional)'}`;
          if (field.type === 'otpSeed') {
            return (
              <SeedInput
                key={field.name}
                id={id}
                draft={seed}
                onChange={setSeed}
                error={seedError(error, field.name) ?? (local && field.required ? local : undefined)}
                verifyError={verifyError(error, field.name)}
              />
            );
          }
          const err = fieldError(field.name);
          const common = {
            id,
            value: values[field.name] ?? '',
            onInput: (e: { currentTarget: { value: string } }) => setValues({ ...values, [field.name]: e.currentTarget.value }),
            'aria-invalid': err ? true : undefined,
            'aria-describedby': describedBy(id, field.type === 'recoveryCodes' ? 'help' : undefined, err),
          };
          return (
            <Field key={field.name} id={id} label={label} error={err} help={field.type === 'recoveryCodes' ? 'One code per line.' : undefined}>
              {field.type === 'note' || field.type === 'recoveryCodes' ? (
                <textarea rows={field.type === 'recoveryCodes' ? 6 : 3} spellcheck={false} {...common} />
              ) : (
                <input type={field.type === 'password' ? 'password' : field.type === 'url' ? 'url' : 'text'} autoComplete={field.type === 'password' ? 'new-password' : 'off'} {...common} />
              )}
            </Field>
          );
        })}
        {overwriting && (
          <label class="choice ack">
            <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.currentTarget.checked)} />
            I understand the old {part === 'seed' ? 'seed is' : 'codes are'} gone for good.
          </label>
        )}
        {local && !seedField && <p class="error" role="alert">{local}</p>}
        <ErrorBox error={unexplained} />
        <p class="buttons">
          <button type="submit" disabled={busy || (overwriting && !acknowledged)}>
            {busy ? 'Saving…' : !existing ? 'Save secret' : part === 'seed' ? 'Replace the seed' : 'Replace the codes'}
          </button>
        </p>
      </form>
    </>
  );
}
