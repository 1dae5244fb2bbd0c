import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

/** An error from the API (or anything else), as a sentence; 403 and 404 say so plainly. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const text =
    error instanceof ApiError
      ? error.status === 403
        ? `Not allowed (403): ${error.message}`
        : `${error.message} (${error.status} ${error.code})`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <p class="error" role="alert" data-testid="error">
      {text}
    </p>
  );
}

/** A labelled form control with its help text and the API's message for it. */
export function Field(props: { id: string; label: string; help?: string; error?: string; children: ComponentChildren }) {
  return (
    <div class={`field${props.error ? ' invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.help && (
        <p class="help" id={`${props.id}-help`}>
          {props.help}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** `aria-describedby` for a control inside `Field`. */
export function describedBy(id: string, help?: string, error?: string): string | undefined {
  const ids = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** Loads once per key; `reload` asks again. */
export function useLoad<T>(load: () => Promise<T>, keys: unknown[]): { data?: T; error?: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...keys, round]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Copies text; says whether it worked (clipboard access may be refused). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A table of text cells with column headers; scrolls sideways (and takes focus to do so) when narrow. */
export function Table({ caption, hideCaption, headers, rows }: { caption: string; hideCaption?: boolean; headers: string[]; rows: { key: string; cells: string[] }[] }) {
  return (
    <div class="table-wrap" role="region" tabIndex={0} aria-label={caption}>
    <table>
      <caption class={hideCaption ? 'sr-only' : undefined}>{caption}</caption>
      <thead>
        <tr>
          {headers.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            {row.cells.map((cell, i) => (
              <td key={i}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

/** `<option>`s for a list of values, with an optional "Any" first. */
export function Options({ values, any }: { values: readonly string[]; any?: string }) {
  return (
    <>
      {any !== undefined && <option value="">{any}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </>
  );
}
