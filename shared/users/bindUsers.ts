import { InvalidInputError } from '../errors';
import { namedUsers, type PolicyDocument, type UserSubs } from '../policy';
import type { UserDirectory } from './UserDirectory';

/** Directory lookups in flight at once (a policy names at most a few hundred users). */
const PARALLEL = 8;

/** The sub each of `usernames` has now (undefined: no such user), asked a few at a time. */
export async function currentSubs(directory: UserDirectory, usernames: readonly string[]): Promise<Map<string, string | undefined>> {
  const found = new Map<string, string | undefined>();
  for (let i = 0; i < usernames.length; i += PARALLEL) {
    const batch = usernames.slice(i, i + PARALLEL);
    const subs = await Promise.all(batch.map((name) => directory.subOf(name)));
    batch.forEach((name, j) => found.set(name, subs[j]));
  }
  return found;
}

/**
 * Binds every user a policy document names (principals and approvers) to its account now.
 *
 * @throws InvalidInputError (400, `UnknownUser`) naming the first user the directory does not know.
 * @example
 * const userSubs = await bindUsers(document, directory); // { alice: '8f0c…' }
 */
export async function bindUsers(document: Pick<PolicyDocument, 'principals' | 'approval'>, directory: UserDirectory): Promise<UserSubs> {
  const subs = await currentSubs(directory, namedUsers(document));
  const bound: Record<string, string> = {};
  for (const [name, sub] of subs) {
    if (sub === undefined) {
      throw new InvalidInputError(`no user ${name} in the user pool: create the user first, or name another principal`, { principal: `user:${name}` }, 'UnknownUser');
    }
    bound[name] = sub;
  }
  return bound;
}
