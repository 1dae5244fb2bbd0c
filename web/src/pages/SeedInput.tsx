import { useEffect, useRef, useState } from 'preact/hooks';
import type { SeedInput as SeedBody } from '../api';
import { QR_LIMITS } from '../../../shared/seed/qr/limits';
import { describedBy, Field } from '../ui';

export type SeedSource = 'picture' | 'setupKey' | 'uri';

export interface SeedDraft {
  source: SeedSource;
  picture?: { name: string; dataUrl: string; previewUrl: string; bytes: number };
  setupKey: string;
  issuer: string;
  account: string;
  algorithm: string;
  digits: string;
  period: string;
  uri: string;
  verifyCode: string;
}

export const emptySeed = (): SeedDraft => ({
  source: 'picture',
  setupKey: '',
  issuer: '',
  account: '',
  algorithm: '',
  digits: '',
  period: '',
  uri: '',
  verifyCode: '',
});

/** The request body for a draft, or a sentence saying what is missing. */
export function seedBody(draft: SeedDraft): SeedBody | string {
  const verifyCode = draft.verifyCode.replace(/\s/g, '') || undefined;
  if (draft.source === 'picture') {
    if (!draft.picture) return 'choose, drop or paste a picture of the QR code';
    return { qrImage: draft.picture.dataUrl, verifyCode };
  }
  if (draft.source === 'uri') {
    if (!draft.uri.trim()) return 'paste the otpauth:// link';
    return { uri: draft.uri.trim(), verifyCode };
  }
  if (!draft.setupKey.trim()) return 'type the setup key';
  return {
    setupKey: draft.setupKey,
    ...(draft.issuer.trim() && { issuer: draft.issuer.trim() }),
    ...(draft.account.trim() && { account: draft.account.trim() }),
    ...(draft.algorithm && { algorithm: draft.algorithm }),
    ...(draft.digits && { digits: Number(draft.digits) }),
    ...(draft.period && { period: Number(draft.period) }),
    verifyCode,
  };
}

/** Picture types the API reads (the picture issue may add more: the API says so if not). */
const PICTURE_TYPES = 'image/png,image/jpeg,image/*';

/**
 * The seed of a secret: a picture of the QR code (choose, drop, paste or take a photo), the setup
 * key with its parameters, or the otpauth:// link; then the code the device shows now, checked
 * before anything is stored. Nothing here decodes the seed: the API does, and says what is wrong.
 */
export function SeedInput(props: { id: string; draft: SeedDraft; onChange: (next: SeedDraft) => void; error?: string; verifyError?: string }) {
  const { id, draft, onChange, error, verifyError } = props;
  const [pictureError, setPictureError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const latest = useRef(draft);
  latest.current = draft;
  const set = (patch: Partial<SeedDraft>) => onChange({ ...latest.current, ...patch });

  const takeFile = (file: File | undefined | null) => {
    if (!file) return;
    setPictureError(undefined);
    if (!file.type.startsWith('image/')) return setPictureError(`${file.name || 'this file'} is not a picture`);
    if (file.size > QR_LIMITS.maxImageBytes) {
      return setPictureError(`the picture is ${(file.size / 1e6).toFixed(1)} MB; the largest accepted is ${(QR_LIMITS.maxImageBytes / 1e6).toFixed(1)} MB: crop it or take a closer photo`);
    }
    const reader = new FileReader();
    reader.onload = () => {
      if (latest.current.picture) URL.revokeObjectURL(latest.current.picture.previewUrl);
      set({ picture: { name: file.name || 'pasted picture', dataUrl: String(reader.result), previewUrl: URL.createObjectURL(file), bytes: file.size } });
    };
    reader.onerror = () => setPictureError('the picture could not be read');
    reader.readAsDataURL(file);
  };

  // A screenshot pasted anywhere on the page lands here while the picture source is chosen.
  useEffect(() => {
    if (draft.source !== 'picture') return;
    const onPaste = (event: ClipboardEvent) => {
      const item = [...(event.clipboardData?.items ?? [])].find((i) => i.kind === 'file' && i.type.startsWith('image/'));
      if (!item) return;
      event.preventDefault();
      takeFile(item.getAsFile());
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [draft.source]);

  const sources: [SeedSource, string][] = [
    ['picture', 'Picture of the QR code'],
    ['setupKey', 'Setup key'],
    ['uri', 'otpauth:// link'],
  ];
  const shownError = pictureError ?? error;

  return (
    <fieldset class={`seed${shownError ? ' invalid' : ''}`} aria-describedby={shownError ? `${id}-error` : undefined}>
      <legend>OTP seed</legend>
      <div class="choices" role="radiogroup" aria-label="Where the seed comes from">
        {sources.map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name={`${id}-source`} value={value} checked={draft.source === value} onChange={() => set({ source: value })} />
            {label}
          </label>
        ))}
      </div>

      {draft.source === 'picture' && (
        <div
          class={`drop${dragging ? ' over' : ''}`}
          data-testid="drop-zone"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            takeFile(event.dataTransfer?.files[0]);
          }}
        >
          <p>Drop the picture here, paste a screenshot (Ctrl+V / ⌘V), or:</p>
          <p class="buttons">
            <label class="button secondary" for={`${id}-file`}>
              Choose a picture
            </label>
            <input class="visually-hidden-file" id={`${id}-file`} type="file" accept={PICTURE_TYPES} onChange={(e) => takeFile(e.currentTarget.files?.[0])} />
            <label class="button secondary" for={`${id}-camera`}>
              Take a photo
            </label>
            <input class="visually-hidden-file" id={`${id}-camera`} type="file" accept="image/*" capture="environment" onChange={(e) => takeFile(e.currentTarget.files?.[0])} />
          </p>
          {draft.picture && (
            <figure class="preview">
              <img src={draft.picture.previewUrl} alt="The chosen picture of the QR code" />
              <figcaption data-testid="picture-name">
                {draft.picture.name} ({Math.round(draft.picture.bytes / 1024)} KB)
              </figcaption>
            </figure>
          )}
        </div>
      )}

      {draft.source === 'setupKey' && (
        <>
          <Field id={`${id}-key`} label="Setup key" help="The letters and digits shown under the QR code; spaces and lower case are fine.">
            <input id={`${id}-key`} value={draft.setupKey} onInput={(e) => set({ setupKey: e.currentTarget.value })} autoComplete="off" spellcheck={false} />
          </Field>
          <div class="row">
            <Field id={`${id}-issuer`} label="Issuer (optional)">
              <input id={`${id}-issuer`} value={draft.issuer} onInput={(e) => set({ issuer: e.currentTarget.value })} />
            </Field>
            <Field id={`${id}-account`} label="Account (optional)">
              <input id={`${id}-account`} value={draft.account} onInput={(e) => set({ account: e.currentTarget.value })} />
            </Field>
          </div>
          <details>
            <summary>Algorithm, digits, period (only if the service says so)</summary>
            <div class="row">
              <Field id={`${id}-algorithm`} label="Algorithm">
                <select id={`${id}-algorithm`} value={draft.algorithm} onChange={(e) => set({ algorithm: e.currentTarget.value })}>
                  <option value="">SHA1 (default)</option>
                  <option value="SHA256">SHA256</option>
                  <option value="SHA512">SHA512</option>
                </select>
              </Field>
              <Field id={`${id}-digits`} label="Digits">
                <input id={`${id}-digits`} type="number" min={6} max={8} placeholder="6" value={draft.digits} onInput={(e) => set({ digits: e.currentTarget.value })} />
              </Field>
              <Field id={`${id}-period`} label="Period (s)">
                <input id={`${id}-period`} type="number" min={1} placeholder="30" value={draft.period} onInput={(e) => set({ period: e.currentTarget.value })} />
              </Field>
            </div>
          </details>
        </>
      )}

      {draft.source === 'uri' && (
        <Field id={`${id}-uri`} label="otpauth:// link" help="otpauth://totp/… or a Google Authenticator export (otpauth-migration://…).">
          <input id={`${id}-uri`} value={draft.uri} onInput={(e) => set({ uri: e.currentTarget.value })} autoComplete="off" spellcheck={false} />
        </Field>
      )}

      {shownError && (
        <p class="field-error" id={`${id}-error`} role="alert" data-testid="seed-error">
          {shownError}
        </p>
      )}

      <Field
        id={`${id}-verify`}
        label="Enter the code your device shows now (recommended)"
        help="If a phone or token already holds this account, type its current code: the seed is refused unless it gives the same code."
        error={verifyError}
      >
        <input
          id={`${id}-verify`}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={11}
          value={draft.verifyCode}
          onInput={(e) => set({ verifyCode: e.currentTarget.value })}
          aria-invalid={verifyError ? true : undefined}
          aria-describedby={describedBy(`${id}-verify`, 'help', verifyError)}
        />
      </Field>
    </fieldset>
  );
}
