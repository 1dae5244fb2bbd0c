/** A signed-in console session, whatever signed it in (local ticket or Cognito). */
export interface Session {
  /** The current access token, refreshed if the provider can; `undefined` once it is gone. */
  token(): Promise<string | undefined>;
  signOut(): Promise<void>;
  /** `local` sessions cannot refresh: a new sign-in link is needed when they end. */
  kind: 'local' | 'cognito';
}

/** The console's `config.json`: written by the runner locally and at deploy time in AWS. */
export type ConsoleConfig =
  | { auth: 'local'; apiUrl: string }
  | {
      auth: 'cognito';
      apiUrl: string;
      /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` */
      authority: string;
      clientId: string;
      /** Managed login domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
      domain: string;
    };

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json could not be loaded (${response.status})`);
  return (await response.json()) as ConsoleConfig;
}
