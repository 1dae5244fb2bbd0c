/** Latency figures of a load run. */
export interface LoadFigures {
  requests: number;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
  errors: number;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i] as number;
}

/** What one load run measured, unsummarized: runs made in turns are merged with `figuresOf`. */
export interface LoadSamples {
  /** Milliseconds per call, in completion order. */
  latencies: number[];
  errors: number;
  seconds: number;
  concurrency: number;
}

/**
 * Runs `total` calls of `op` with `concurrency` callers in flight; bounded by count and by
 * `maxSeconds`, so a slow machine ends the run instead of hanging it.
 */
export async function loadSamples(op: () => Promise<boolean>, total: number, concurrency: number, maxSeconds = 60): Promise<LoadSamples> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const deadline = Date.now() + maxSeconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (issued < total && Date.now() < deadline) {
      issued++;
      const t0 = performance.now();
      const ok = await op().catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors, seconds: (performance.now() - started) / 1000, concurrency };
}

/** Percentiles and throughput over one or more runs of the same concurrency (req/s: all calls over all their time). */
export function figuresOf(runs: readonly LoadSamples[]): LoadFigures {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    requests: latencies.length,
    concurrency: runs[0]?.concurrency ?? 0,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    perSecond: round(latencies.length / seconds),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

/** `loadSamples`, summarized. */
export async function load(op: () => Promise<boolean>, total: number, concurrency: number, maxSeconds = 60): Promise<LoadFigures> {
  return figuresOf([await loadSamples(op, total, concurrency, maxSeconds)]);
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = Object.keys(rows[0] as object);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i] as number)).join('  ');
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}
