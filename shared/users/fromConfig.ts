import { environmentCredentials } from '../aws/envCredentials';
import { ENV } from '../config/vaultConfig';
import { enumEnv, optionalEnv, requiredEnv } from '../config/env';
import { CognitoUserDirectory } from './CognitoUserDirectory';
import { LocalUserDirectory, LocalUserRegistry } from './LocalUserRegistry';
import type { UserDirectory } from './UserDirectory';

/**
 * The user directory of this deployment: the stack's Cognito user pool, or locally the issuer's
 * user registry. Built lazily (only functions that bind policies ask it), so other functions need
 * neither its settings nor its permission.
 */
export function userDirectoryFromEnv(env: NodeJS.ProcessEnv = process.env): UserDirectory {
  let directory: UserDirectory | undefined;
  const build = (): UserDirectory => {
    if (enumEnv(ENV.authMode, ['cognito', 'local'] as const, 'cognito', env) === 'local') {
      return new LocalUserDirectory(new LocalUserRegistry(requiredEnv(ENV.localUsersDir, env)));
    }
    return new CognitoUserDirectory({
      userPoolId: requiredEnv(ENV.userPoolId, env),
      region: optionalEnv(ENV.region, env) ?? 'us-east-1',
      // The Lambda role's credentials, which Lambda keeps in the environment (as the archive's S3 client reads them).
      credentials: environmentCredentials(env),
    });
  };
  return { subOf: (username) => (directory ??= build()).subOf(username) };
}
