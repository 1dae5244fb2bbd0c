/**
 * Credentials of local IAM roles, for signing requests to the local IAM API: one temporary-style
 * key (access key id, secret, session token) per role, kept in `<dataDir>/iam-credentials.json`
 * (mode 0600). The stack creates role `ci` on its first start; `otpvault local credentials --role <name>`
 * adds others. Each role calls as `role:arn:aws:iam::000000000000:role/<name>`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_ACCOUNT_ID, LOCAL_LAMBDA_REGION } from '../apiEvent';

export const CREDENTIALS_FILE = 'iam-credentials.json';
/** The region local requests are signed for (credential scope `<day>/us-east-1/execute-api`). */
export const LOCAL_IAM_REGION = LOCAL_LAMBDA_REGION;
/** The role made on the first start. */
export const DEFAULT_LOCAL_ROLE = 'ci';
/** The session name local roles sign as (it is dropped from the principal, like in AWS). */
export const LOCAL_SESSION = 'otpvault-local';
/** Role names as IAM allows them. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export interface LocalRoleCredentials {
  role: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

interface CredentialsFile {
  roles: Record<string, Omit<LocalRoleCredentials, 'role'>>;
}

/** A role name IAM would not accept. */
export class InvalidRoleNameError extends Error {
  constructor(name: string) {
    super(`not a role name: "${name}" (1 to 64 of letters, digits and + = , . @ _ -)`);
    this.name = 'InvalidRoleNameError';
  }
}

/** The ARN a local role's requests are signed by, as API Gateway reports it (`userArn`). */
export function localSessionArn(role: string): string {
  return `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${role}/${LOCAL_SESSION}`;
}

/**
 * The role's credentials, created (and saved, mode 0600) if the role has none yet.
 *
 * @param dataDir - The local stack's data directory.
 * @param role - Role name. @default ci
 * @throws InvalidRoleNameError
 */
export async function ensureLocalRole(dataDir: string, role: string = DEFAULT_LOCAL_ROLE): Promise<LocalRoleCredentials> {
  if (!ROLE_NAME.test(role)) throw new InvalidRoleNameError(role);
  const file = await readCredentialsFile(dataDir);
  let entry = file.roles[role];
  if (!entry) {
    entry = {
      // ASIA: the prefix of temporary (STS) access key ids.
      accessKeyId: `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
    };
    file.roles[role] = entry;
    await writeCredentialsFile(dataDir, file);
  }
  return { role, ...entry };
}

/**
 * Finds the role holding an access key id (the file is read each time: roles added by the CLI
 * while the stack runs are known at once).
 */
export async function findLocalRole(dataDir: string, accessKeyId: string): Promise<LocalRoleCredentials | undefined> {
  const { roles } = await readCredentialsFile(dataDir);
  for (const [role, entry] of Object.entries(roles)) {
    if (entry.accessKeyId === accessKeyId) return { role, ...entry };
  }
  return undefined;
}

async function readCredentialsFile(dataDir: string): Promise<CredentialsFile> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, CREDENTIALS_FILE), 'utf8')) as Partial<CredentialsFile>;
    return { roles: parsed.roles ?? {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { roles: {} };
    throw error;
  }
}

async function writeCredentialsFile(dataDir: string, content: CredentialsFile): Promise<void> {
  const target = join(dataDir, CREDENTIALS_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, target);
}
