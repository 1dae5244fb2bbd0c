import { VaultError } from '../../../shared/errors';

/** The error `act` throws; fails the test when it throws nothing. */
export function caught(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error('a non-Error was thrown');
  }
  throw new Error('expected an error, but none was thrown');
}

/** The error the promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error('a non-Error was thrown');
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Asserts an error is a caller error whose message and details quote none of `secrets`. */
export function expectSafeCallerError(error: Error, secrets: readonly string[], ErrorClass: abstract new (...args: never[]) => VaultError = VaultError): void {
  expect(error).toBeInstanceOf(ErrorClass);
  expect(error.message.length).toBeGreaterThan(10);
  const shown = `${error.message} ${JSON.stringify((error as VaultError).details ?? {})}`;
  for (const secret of secrets.filter((s) => s.length >= 4)) {
    expect(shown).not.toContain(secret);
    expect(shown.toUpperCase()).not.toContain(secret.toUpperCase());
  }
}
