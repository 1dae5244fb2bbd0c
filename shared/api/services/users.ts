import { userDirectoryFromEnv } from '../../users/fromConfig';
import type { UserDirectory } from '../../users/UserDirectory';
import { builtOnce, type Deps } from '../deps';

/** Usernames to accounts (subs): the user pool, or locally the issuer's registry (asked only when binding or checking policies). */
export const users = (deps: Deps): UserDirectory => builtOnce(deps, users, () => userDirectoryFromEnv());
