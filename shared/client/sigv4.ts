/**
 * SigV4 for the IAM API (service `execute-api`), as an `Authenticate` for the typed client. Takes
 * a credentials provider, so the caller picks the chain (the CLI: `@aws-sdk/credential-providers`).
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { Authenticate } from './client';
import { WebCryptoSha256 } from './sha256';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Options {
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  region: string;
  /** @default execute-api */
  service?: string;
  /** For tests: the signing time. @default now */
  now?: () => Date;
}

/** The parts of a request SigV4 signs, in `@smithy/signature-v4`'s shape. */
export interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * Signs every request with SigV4.
 *
 * @example
 * const client = createClient({ baseUrl: iamApiUrl, authenticate: sigv4Auth({ credentials: fromNodeProviderChain(), region: 'eu-west-1' }) });
 */
export function sigv4Auth(options: SigV4Options): Authenticate {
  const signer = new SignatureV4({
    credentials: typeof options.credentials === 'function' ? options.credentials : async () => options.credentials as AwsCredentials,
    region: options.region,
    service: options.service ?? 'execute-api',
    sha256: WebCryptoSha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  return async (request) => {
    const { url } = request;
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const existing = query[name];
      query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const toSign: SignableRequest = {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      // fetch sends Host itself (and may not be told to): it is signed with the value fetch will send.
      headers: { ...lowerCased(request.headers), host: url.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
    const signed = await signer.sign(toSign, { signingDate: options.now?.() ?? new Date() });
    const { host: _sentByFetch, ...headers } = signed.headers as Record<string, string>;
    return headers;
  };
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
