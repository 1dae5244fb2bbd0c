/**
 * Who the CLI calls and as whom: the profile (`--profile`, `$OTPVAULT_PROFILE`, else `default`),
 * the endpoint (`--endpoint` overrides), and the credentials — a bearer token (`$OTPVAULT_TOKEN`,
 * `--token-file`, or the one `otpvault login` stored, refreshed with its refresh token when near expiry) or SigV4 (the AWS credential chain; for a
 * local profile, the local role's credentials from the data directory). The SigV4 signer and AWS
 * SDK are imported only on that path: the token path loads neither.
 */
import { readFile } from 'node:fs/promises';
import { bearerAuth, createClient, type Authenticate, type Client } from '../../shared/client/client';
import { DEFAULT_PROFILE, LOCAL_API_URL, readProfile, readStoredToken, saveStoredToken, type Profile } from './config';
import { CliError, EXIT } from './errors';

export interface GlobalOptions {
  profile?: string;
  endpoint?: string;
  tokenFile?: string;
}

export interface Session {
  client: Client;
  profileName: string;
  profile: Profile;
  baseUrl: string;
}

/** The CLI's user agent (the audit log records it). */
const USER_AGENT = 'otpvault-cli/0.1';

export async function openSession(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Promise<Session> {
  const profileName = globals.profile ?? env.OTPVAULT_PROFILE?.trim() ?? DEFAULT_PROFILE;
  const stored = await readProfile(profileName);
  if (!stored && (globals.profile !== undefined || env.OTPVAULT_PROFILE)) {
    throw new CliError(`no profile "${profileName}": run otpvault configure --profile ${profileName} ...`, EXIT.invalid);
  }
  const profile: Profile = stored ?? { apiUrl: LOCAL_API_URL, auth: 'token' };
  const endpoint = globals.endpoint ?? env.OTPVAULT_ENDPOINT?.trim();
  const baseUrl = endpoint || (profile.auth === 'iam' ? (profile.iamApiUrl ?? profile.apiUrl) : profile.apiUrl);
  const authenticate = profile.auth === 'iam' ? await sigv4For(profile, env) : await bearerFor(profileName, globals, env);
  return { client: createClient({ baseUrl, authenticate, headers: { 'user-agent': USER_AGENT } }), profileName, profile, baseUrl };
}

async function bearerFor(profileName: string, globals: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Authenticate> {
  const fromEnv = env.OTPVAULT_TOKEN?.trim();
  if (fromEnv) return bearerAuth(fromEnv);
  if (globals.tokenFile) {
    const token = (await readFile(globals.tokenFile, 'utf8')).trim();
    if (!token) throw new CliError(`${globals.tokenFile} is empty`, EXIT.unauthenticated);
    return bearerAuth(token);
  }
  let stored = await readStoredToken(profileName);
  if (stored?.refreshToken && stored.cognito) {
    // Signed in with `otpvault login`: renew the access token before it lapses, silently.
    const { nearExpiry, refreshSignIn } = await import('./cognito');
    if (nearExpiry(stored)) {
      stored = { ...(await refreshSignIn(stored.cognito, stored.refreshToken)), cognito: stored.cognito };
      await saveStoredToken(profileName, stored);
    }
  }
  if (stored) {
    if (stored.expiresAt && Date.parse(stored.expiresAt) <= Date.now()) {
      throw new CliError(`the stored token of profile ${profileName} expired at ${stored.expiresAt}: run otpvault login again`, EXIT.unauthenticated);
    }
    return bearerAuth(stored.accessToken);
  }
  // Without a token, public operations still work; the API answers 401 to the rest.
  return async (request) => {
    throw new CliError(`not authenticated: set OTPVAULT_TOKEN, pass --token-file, or run otpvault login (${request.method} ${request.url.pathname})`, EXIT.unauthenticated);
  };
}

async function sigv4For(profile: Profile, env: NodeJS.ProcessEnv): Promise<Authenticate> {
  const { sigv4Auth } = await import('../../shared/client/sigv4');
  const region = profile.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (profile.dataDir && !env.AWS_ACCESS_KEY_ID) {
    // A local profile: the local role's key, straight from the data directory.
    const { ensureLocalRole, LOCAL_IAM_REGION } = await import('../../local/iam/credentials');
    const credentials = await ensureLocalRole(profile.dataDir, profile.role);
    return sigv4Auth({ credentials, region: region ?? LOCAL_IAM_REGION });
  }
  if (!region) throw new CliError('no AWS region: configure the profile with --region, or set AWS_REGION', EXIT.invalid);
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const chain = fromNodeProviderChain(profile.awsProfile ? { profile: profile.awsProfile } : {});
  return sigv4Auth({
    region,
    credentials: async () => {
      try {
        return await chain();
      } catch (error) {
        throw new CliError(`no AWS credentials: ${error instanceof Error ? error.message : String(error)}`, EXIT.unauthenticated);
      }
    },
  });
}
