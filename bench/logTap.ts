/**
 * Counts the bytes the functions write to stdout (what Lambda ships to CloudWatch Logs) while a
 * bench runs, by who wrote them, and keeps those lines out of the bench's own output.
 */

/** Who wrote a line: a route function's own lines and its metrics, the authorizer, the audit pipeline. */
export type LogSource = 'route' | 'metrics' | 'authorizer' | 'pipeline';

export interface LogTap {
  /** Bytes per source since the last `reset`, newline included (as CloudWatch receives one event per line). */
  bytes(): Record<LogSource, number>;
  reset(): void;
  /** Puts stdout back. */
  stop(): void;
}

/** The source of one line, or undefined for a line that is not a function's (it is printed as usual). */
export function sourceOf(line: string): LogSource | undefined {
  if (!line.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  if ('_aws' in fields) return 'metrics';
  const service = fields.service;
  if (service === 'otpvault') return 'route';
  if (service === 'otpvault-authorizer') return 'authorizer';
  if (typeof service === 'string' && service.startsWith('otpvault-')) return 'pipeline';
  return undefined;
}

export function tapStdout(): LogTap {
  const original = process.stdout.write.bind(process.stdout);
  const zero = (): Record<LogSource, number> => ({ route: 0, metrics: 0, authorizer: 0, pipeline: 0 });
  let counts = zero();
  let pending = '';
  const tapped = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = pending + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const lines = text.split('\n');
    pending = lines.pop() ?? '';
    const passOn: string[] = [];
    for (const line of lines) {
      const source = sourceOf(line);
      if (source) counts[source] += Buffer.byteLength(line) + 1;
      else passOn.push(line);
    }
    if (passOn.length > 0) return (original as (c: string, ...r: unknown[]) => boolean)(passOn.join('\n') + '\n', ...rest);
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    callback?.();
    return true;
  };
  process.stdout.write = tapped as typeof process.stdout.write;
  return {
    bytes: () => ({ ...counts }),
    reset: () => {
      counts = zero();
    },
    stop: () => {
      process.stdout.write = original as typeof process.stdout.write;
      if (pending) original(pending);
    },
  };
}
