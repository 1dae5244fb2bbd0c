/**
 * The user directory of a Cognito user pool: `AdminGetUser`, as a plain JSON-protocol call signed
 * with SigV4 (`@smithy/signature-v4`, which the Lambda runtime provides; taken from the require
 * cache, see `runtimeModules`), so the functions need no Cognito SDK client in their bundle. The
 * functions' role may call `cognito-idp:AdminGetUser` on the stack's pool and nothing else.
 */
import type { SignatureV4 as Signer } from '@smithy/signature-v4';
import { SignatureV4 } from '../aws/runtimeModules';
import { WebCryptoSha256 } from '../client/sha256';
import type { AwsCredentials } from '../client/sigv4';
import type { UserDirectory } from './UserDirectory';

export interface CognitoUserDirectoryOptions {
  userPoolId: string;
  region: string;
  credentials: () => Promise<AwsCredentials>;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default https://cognito-idp.<region>.amazonaws.com */
  endpoint?: string;
}

interface AdminGetUserOutput {
  Username?: string;
  UserAttributes?: { Name?: string; Value?: string }[];
}

export class CognitoUserDirectory implements UserDirectory {
  private readonly signer: Signer;
  private readonly url: URL;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: CognitoUserDirectoryOptions) {
    this.signer = new SignatureV4({
      credentials: options.credentials,
      region: options.region,
      service: 'cognito-idp',
      sha256: WebCryptoSha256,
      uriEscapePath: true,
      applyChecksum: false,
    });
    this.url = new URL(options.endpoint ?? `https://cognito-idp.${options.region}.amazonaws.com/`);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async subOf(username: string): Promise<string | undefined> {
    const body = JSON.stringify({ UserPoolId: this.options.userPoolId, Username: username });
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port ? { port: Number(this.url.port) } : {}),
      path: this.url.pathname,
      query: {},
      headers: {
        host: this.url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      },
      body,
    });
    const { host: _sentByFetch, ...headers } = signed.headers as Record<string, string>;
    const response = await this.fetch(this.url, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok) {
      const type = errorType(text);
      if (response.status === 400 && type === 'UserNotFoundException') return undefined;
      throw new Error(`Cognito AdminGetUser failed with HTTP ${response.status}${type ? ` (${type})` : ''}`);
    }
    const user = JSON.parse(text) as AdminGetUserOutput;
    // A sign-in alias (an email address) also finds a user: only the username itself names one here.
    if (user.Username !== username) return undefined;
    const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (!sub) throw new Error('Cognito AdminGetUser answered without the user\'s sub');
    return sub;
  }
}

/** `UserNotFoundException` from `{"__type":"com.amazonaws…#UserNotFoundException", …}`. */
function errorType(text: string): string | undefined {
  try {
    const type = (JSON.parse(text) as { __type?: unknown }).__type;
    return typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : undefined;
  } catch {
    return undefined;
  }
}
