import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, generateOtp, type OtpAnswer } from '../api';
import { copyText, ErrorBox } from '../ui';

/**
 * When fewer seconds than this are left, the code is about to expire: the next request goes out with
 * `minValidSeconds` one above it, and the API holds it until the next step begins, so the new code
 * arrives at the boundary instead of a code nobody can type in time.
 */
export const HOLD_SECONDS = 3;
/** Steps refreshed without a click (about five minutes at 30 s): an open tab does not log codes all day. */
export const AUTO_REFRESH_STEPS = 10;
/** After a failed request: one default step, so a failing API is not asked more often than a working one. */
const RETRY_MS = 30_000;

interface Shown {
  answer: OtpAnswer;
  /** `performance.now()` when it arrived; the countdown runs from the server's own remaining time. */
  arrivedAt: number;
  remainingMs: number;
}

function remainingOf(answer: OtpAnswer): number {
  if (!answer.validUntil) return 0;
  return Math.max(0, Date.parse(answer.validUntil) - Date.parse(answer.serverTime));
}

/** Groups digits for reading (`123 456`); copying takes the bare digits. */
function spaced(code: string): string {
  return code.length >= 6 ? `${code.slice(0, Math.ceil(code.length / 2))} ${code.slice(Math.ceil(code.length / 2))}` : code;
}

export function OtpCode({ secretId, type }: { secretId: string; type: string }) {
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<unknown>();
  const [now, setNow] = useState(() => performance.now());
  const [paused, setPaused] = useState(false);
  const [copied, setCopied] = useState('');
  const [round, setRound] = useState(0);
  const steps = useRef(0);

  useEffect(() => {
    if (paused) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastStep: number | null = null;
    const fetchCode = (minValidSeconds: number) => {
      generateOtp(secretId, { minValidSeconds }, abort.signal).then(
        (answer) => {
          const remainingMs = remainingOf(answer);
          setShown({ answer, arrivedAt: performance.now(), remainingMs });
          setError(undefined);
          if (answer.type !== 'totp' || !answer.period) return;
          if (answer.timeStep !== lastStep) steps.current += 1;
          lastStep = answer.timeStep;
          if (steps.current >= AUTO_REFRESH_STEPS) {
            // Let this code run out, then stop asking.
            timer = setTimeout(() => setPaused(true), remainingMs);
            return;
          }
          schedule(remainingMs, answer.period);
        },
        (failure: unknown) => {
          if (abort.signal.aborted) return;
          setError(failure);
          // A refusal stays a refusal; an outage or a lost connection is tried again a step later.
          const transient = !(failure instanceof ApiError) || failure.status >= 500;
          if (transient && !document.hidden) timer = setTimeout(() => fetchCode(0), RETRY_MS);
        },
      );
    };
    const schedule = (remainingMs: number, period: number) => {
      if (document.hidden) return;
      const hold = Math.min(HOLD_SECONDS, period - 2);
      timer = setTimeout(() => fetchCode(hold + 1), Math.max(0, remainingMs - hold * 1000));
    };
    const onVisibility = () => {
      clearTimeout(timer);
      if (!document.hidden) fetchCode(0);
    };
    fetchCode(0);
    if (type === 'totp') document.addEventListener('visibilitychange', onVisibility);
    return () => {
      abort.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [secretId, paused, round]);

  useEffect(() => {
    const ticker = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(ticker);
  }, []);

  if (error && !shown) return <ErrorBox error={error} />;
  if (!shown) return <p aria-live="polite">Getting the current code…</p>;

  const { answer } = shown;
  const period = answer.period ?? 0;
  // The ticker may not have ticked since the answer arrived: never count time before it.
  const leftMs = Math.max(0, shown.remainingMs - Math.max(0, now - shown.arrivedAt));
  const left = Math.ceil(leftMs / 1000);
  const expiring = answer.type === 'totp' && left <= HOLD_SECONDS;
  const expired = answer.type === 'totp' && leftMs <= 0;

  return (
    <section class="otp" aria-labelledby="otp-title">
      <h2 id="otp-title">One-time code</h2>
      {paused ? (
        <p>
          Codes stopped refreshing to keep the audit log short.{' '}
          <button
            type="button"
            onClick={() => {
              steps.current = 0;
              setPaused(false);
              setRound((r) => r + 1);
            }}
          >
            Show the current code
          </button>
        </p>
      ) : (
        <>
          <div class={`code-row${expiring ? ' expiring' : ''}`}>
            <output class="code" data-testid="otp-code" data-code={answer.code} data-step={answer.timeStep ?? answer.counter ?? ''} aria-label={`Code ${answer.code.split('').join(' ')}`}>
              {spaced(answer.code)}
            </output>
            <button
              type="button"
              onClick={() => void copyText(answer.code).then((ok) => setCopied(ok ? 'Copied' : 'Copy failed: select the code instead'))}
            >
              Copy
            </button>
          </div>
          {answer.type === 'totp' ? (
            <div class="countdown">
              <progress max={period} value={Math.min(period, leftMs / 1000)} aria-hidden="true" />
              <span data-testid="otp-countdown" aria-live={expiring ? 'polite' : 'off'}>
                {expired ? 'Next code coming…' : expiring ? `Expires in ${left} s: the next code follows` : `Valid for ${left} s`}
              </span>
            </div>
          ) : (
            <p>
              Counter {answer.counter}.{' '}
              <button type="button" onClick={() => setRound((r) => r + 1)}>
                Next code
              </button>
            </p>
          )}
        </>
      )}
      <p class="status" role="status">
        {copied}
      </p>
      <ErrorBox error={error} />
    </section>
  );
}
