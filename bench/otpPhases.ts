/**
 * Where an OTP request's time goes, measured inside the bench process (the local runner runs the
 * handlers in-process): each DynamoDB command the handlers send through the shared client (by command
 * and table), KMS Decrypt, and how late the event loop ran (what in-process work such as the stream
 * poller and its consumer costs the requests that wait behind it).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Deps } from '../shared/api/deps';
import { round } from './stats';

export interface PhaseFigure {
  phase: string;
  /** Calls per request. */
  perRequest: number;
  p50Ms: number;
  meanMs: number;
}

interface Recorder {
  samples: Map<string, number[]>;
  loop: IntervalHistogram;
}

const record = (r: Recorder, phase: string, ms: number): void => {
  const list = r.samples.get(phase) ?? [];
  list.push(ms);
  r.samples.set(phase, list);
};

/** Times the phases while active; probes made in turns are paused between their runs. */
export interface PhaseProbe {
  pause(): void;
  resume(): void;
  /** Ends the probe (probes stop in the reverse order of their start) and summarizes `requests` requests. */
  stop(requests: number): PhaseFigure[];
}

let probes = 0;

/**
 * Times every command of `deps.db` and every `deps.cipher.decrypt` until the returned `stop` is called.
 *
 * @param deps - the handlers' dependencies (`getDeps()` once the stack has served a request)
 * @example
 * const probe = probePhases(getDeps()); await load(otp, 200, 1); const figures = probe.stop(200);
 */
export function probePhases(deps: Deps): PhaseProbe {
  const r: Recorder = { samples: new Map(), loop: monitorEventLoopDelay({ resolution: 1 }) };
  r.loop.enable();
  let active = true;
  const name = `otpvaultBenchPhases${++probes}`;
  deps.db.middlewareStack.add(
    (next, context) => async (args) => {
      const t0 = performance.now();
      try {
        return await next(args);
      } finally {
        const input = args.input as { TableName?: string };
        if (active) record(r, `DynamoDB ${context.commandName?.replace(/Command$/, '')} ${input.TableName ?? ''}`.trim(), performance.now() - t0);
      }
    },
    { step: 'initialize', name },
  );
  const cipher = deps.cipher;
  const decrypt = cipher.decrypt.bind(cipher);
  cipher.decrypt = async (...args) => {
    const t0 = performance.now();
    try {
      return await decrypt(...args);
    } finally {
      if (active) record(r, 'KMS Decrypt (emulator, HTTP)', performance.now() - t0);
    }
  };
  return {
    pause() {
      active = false;
      r.loop.disable();
    },
    resume() {
      active = true;
      r.loop.enable();
    },
    stop(requests) {
      active = false;
      deps.db.middlewareStack.remove(name);
      cipher.decrypt = decrypt;
      r.loop.disable();
      const figures = [...r.samples].map(([phase, ms]) => {
        ms.sort((a, b) => a - b);
        return { phase, perRequest: round(ms.length / requests, 2), p50Ms: round(ms[Math.floor(ms.length / 2)] as number), meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length) };
      });
      figures.push({ phase: 'event loop delay (p99 of 1 ms ticks)', perRequest: 0, p50Ms: round(r.loop.percentile(50) / 1e6), meanMs: round(r.loop.percentile(99) / 1e6) });
      return figures.sort((a, b) => b.meanMs * b.perRequest - a.meanMs * a.perRequest);
    },
  };
}
