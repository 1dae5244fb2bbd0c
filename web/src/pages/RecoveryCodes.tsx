import { useState } from 'preact/hooks';
import { revealRecoveryCode } from '../api';
import { copyText, ErrorBox } from '../ui';

/** "Reveal one": uses up a code, so it asks first; the code is shown once, on this page only. */
export function RecoveryCodes({ secretId, total, remaining, allowed }: { secretId: string; total: number; remaining?: number; allowed: boolean }) {
  const [asking, setAsking] = useState(false);
  const [revealed, setRevealed] = useState<{ code: string; remaining: number }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const left = revealed?.remaining ?? remaining;

  const reveal = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setRevealed(await revealRecoveryCode(secretId));
      setAsking(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="recovery" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Recovery codes</h2>
      <p data-testid="recovery-left">{left === undefined ? `${total} stored` : `${left} of ${total} left`}</p>
      {revealed && (
        <div class="revealed">
          <p>This code is now marked used. It is shown only here, once: use it now.</p>
          <div class="code-row">
            <output class="code small" data-testid="recovery-code">
              {revealed.code}
            </output>
            <button type="button" onClick={() => void copyText(revealed.code)}>
              Copy
            </button>
          </div>
        </div>
      )}
      {allowed && !asking && left !== 0 && (
        <button type="button" onClick={() => setAsking(true)}>
          Reveal one recovery code
        </button>
      )}
      {asking && (
        <div class="confirm" role="group" aria-labelledby="recovery-confirm">
          <p id="recovery-confirm">Revealing a code uses it up for good, and the reveal is audited. Reveal one now?</p>
          <button type="button" class="danger" disabled={busy} onClick={() => void reveal()}>
            Yes, reveal one code
          </button>
          <button type="button" class="secondary" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
