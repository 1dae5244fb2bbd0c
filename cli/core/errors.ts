/** Exit codes of `otpvault`, one per kind of failure, so scripts can tell them apart. */
export const EXIT = {
  /** Something unexpected (a bug, a local file that cannot be read). */
  failure: 1,
  /** Invalid input: a bad option, or the API answered 400/413/415. */
  invalid: 2,
  /** No usable credentials (401, or credentials refused: 403 Unauthenticated). */
  unauthenticated: 3,
  /** The policies do not allow it (403 Forbidden). */
  denied: 4,
  notFound: 5,
  conflict: 6,
  /** The API, or its audit log, could not be reached or answered 5xx. */
  unavailable: 7,
  /** `request --wait` gave up: the request is still pending. */
  timedOut: 9,
} as const;

/** A failure the CLI explains in one line, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code and one-line message of an error from a command (an ApiError, a CliError, a network failure). */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof Error && error.name === 'ApiError') {
    const { status, code } = error as Error & { status: number; code: string };
    const message = `${error.message} (${status} ${code})`;
    if (status === 401 || (status === 403 && code === 'Unauthenticated') || (status === 403 && code === 'Http403')) return { exitCode: EXIT.unauthenticated, message };
    if (status === 403) return { exitCode: EXIT.denied, message };
    if (status === 404) return { exitCode: EXIT.notFound, message };
    if (status === 409) return { exitCode: EXIT.conflict, message };
    if (status >= 500) return { exitCode: EXIT.unavailable, message };
    return { exitCode: EXIT.invalid, message };
  }
  if (error instanceof TypeError && /fetch failed/.test(error.message)) {
    const cause = (error as TypeError & { cause?: { code?: string; message?: string } }).cause;
    return { exitCode: EXIT.unavailable, message: `cannot reach the API: ${cause?.code ?? cause?.message ?? error.message}` };
  }
  return { exitCode: EXIT.failure, message: error instanceof Error ? error.message : String(error) };
}
