/**
 * Where the CLI keeps its profiles (`config.json`) and tokens (`tokens.json`): `$OTPVAULT_CONFIG_DIR`,
 * else `$XDG_CONFIG_HOME/otpvault`, else `~/.config/otpvault`. Both files are mode 0600.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Profile {
  /** The API taking bearer tokens (stack output ApiUrl; the local runner's API). */
  apiUrl: string;
  /** The SigV4 API (stack output IamApiUrl; the local runner's IAM API). */
  iamApiUrl?: string;
  /** Which API and credentials to use: a bearer token, or SigV4 with AWS credentials. */
  auth: 'token' | 'iam';
  region?: string;
  /** For `auth: 'iam'`: the AWS profile of the credential chain. */
  awsProfile?: string;
  /** Set by `configure --local`: the data directory (local roles' credentials live there). */
  dataDir?: string;
  /** For a local profile with `auth: 'iam'`: the local role. */
  role?: string;
  /** Set by `configure --stack`. */
  stack?: string;
  userPoolId?: string;
  userPoolClientId?: string;
  /** For `audit verify --self` (stack outputs ArchiveBucketName, AuditSigningKeyArn). */
  archiveBucket?: string;
  auditSigningKeyArn?: string;
}

export interface StoredToken {
  accessToken: string;
  /** From `otpvault login` (Cognito): the id token, kept beside the access token the API takes. */
  idToken?: string;
  refreshToken?: string;
  /** From `otpvault login`: the app client that issued the tokens, for the silent refresh. */
  cognito?: { region: string; clientId: string };
  /** ISO time the access token expires, when known. */
  expiresAt?: string;
}

interface ConfigFile {
  profiles: Record<string, Profile>;
}

interface TokensFile {
  tokens: Record<string, StoredToken>;
}

export const DEFAULT_PROFILE = 'default';
/** The local runner's API, used when no profile is configured. */
export const LOCAL_API_URL = 'http://127.0.0.1:8787';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OTPVAULT_CONFIG_DIR?.trim()) return env.OTPVAULT_CONFIG_DIR.trim();
  return join(env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config'), 'otpvault');
}

export async function readProfile(name: string): Promise<Profile | undefined> {
  return (await readJson<ConfigFile>('config.json', { profiles: {} })).profiles[name];
}

export async function saveProfile(name: string, profile: Profile): Promise<void> {
  const config = await readJson<ConfigFile>('config.json', { profiles: {} });
  config.profiles[name] = profile;
  await writeJson('config.json', config);
}

export async function readStoredToken(name: string): Promise<StoredToken | undefined> {
  return (await readJson<TokensFile>('tokens.json', { tokens: {} })).tokens[name];
}

export async function saveStoredToken(name: string, token: StoredToken | undefined): Promise<void> {
  const file = await readJson<TokensFile>('tokens.json', { tokens: {} });
  if (token) file.tokens[name] = token;
  else delete file.tokens[name];
  await writeJson('tokens.json', file);
}

async function readJson<T>(file: string, empty: T): Promise<T> {
  try {
    return { ...empty, ...(JSON.parse(await readFile(join(configDir(), file), 'utf8')) as T) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw error;
  }
}

/** Writes a file of the config directory (mode 0600, atomically). */
export async function writeConfigFile(file: string, content: unknown): Promise<void> {
  await writeJson(file, content);
}

async function writeJson(file: string, content: unknown): Promise<void> {
  const dir = configDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, file);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, target);
}
