/**
 * Who a username belongs to now. Policies and approval blocks name people by username
 * (`user:alice`), but a username can be given to a new account once the old one is deleted: a
 * policy is therefore bound, when it is written, to the sub (immutable account id) each name has
 * at that moment, and only that account is matched (`shared/policy/bindings.ts`).
 *
 * Implementations: `CognitoUserDirectory` (AdminGetUser on the stack's user pool) and
 * `LocalUserDirectory` (the local issuer's user registry in the data directory).
 */
export interface UserDirectory {
  /**
   * The sub of the account that holds `username` now, or undefined when there is none.
   * @throws any error when the directory could not be asked (a 5xx, never a guess).
   */
  subOf(username: string): Promise<string | undefined>;
}
