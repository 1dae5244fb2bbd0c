/**
 * A local AWS KMS emulator (with a CloudTrail LookupEvents view of its trail) that speaks the real
 * AWS JSON 1.1 protocol, so `@aws-sdk/client-kms` and `@aws-sdk/client-cloudtrail` work against it
 * unchanged with only `endpoint` overridden.
 */
import { startServer } from './server';

/** A running emulator. */
export interface KmsEmulator {
  /** Base URL to pass as `endpoint` to `KMSClient` and `CloudTrailClient`, e.g. `http://127.0.0.1:45123`. */
  endpoint: string;
  /** Stops accepting requests, waits for those in flight and for pending writes to reach the disk. */
  stop(): Promise<void>;
}

export interface KmsEmulatorOptions {
  /**
   * Directory for persistent state. Keys and aliases go to `<dataDir>/kms/keys.json` (mode 0600),
   * the trail of cryptographic calls to `<dataDir>/kms/cloudtrail.jsonl`. Only one emulator may use
   * a data directory at a time.
   */
  dataDir: string;
  /** Port to listen on; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Interface to bind. @defaultValue '127.0.0.1' */
  host?: string;
}

/**
 * Starts the emulator, reloading any keys an earlier run saved in `dataDir`.
 *
 * Implements KMS CreateKey (SYMMETRIC_DEFAULT; ECC_NIST_P256 and RSA_2048 for SIGN_VERIFY),
 * DescribeKey, CreateAlias, ListAliases, Encrypt, Decrypt, GenerateDataKey,
 * GenerateDataKeyWithoutPlaintext, Sign, Verify and GetPublicKey, plus CloudTrail LookupEvents over
 * the recorded Encrypt, Decrypt, GenerateDataKey*, Sign and Verify calls. Every request must be
 * SigV4-signed with a key pair of `<dataDir>/credentials.json` (see `local/credentials.ts`), or it
 * is refused with IncompleteSignatureException, InvalidSignatureException or
 * UnrecognizedClientException; the access key id is recorded as the caller and the credential
 * scope's region scopes keys and aliases.
 *
 * @param opts - where to keep state and where to listen
 * @returns the endpoint and a `stop` function
 * @example
 * ```ts
 * const kms = await startKmsEmulator({ dataDir: '.otpvault/local' });
 * const client = new KMSClient({ endpoint: kms.endpoint, region: 'us-east-1',
 *   credentials: await ensureLocalCredentials('.otpvault/local') });
 * const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
 * await kms.stop();
 * ```
 */
export async function startKmsEmulator(opts: KmsEmulatorOptions): Promise<KmsEmulator> {
  return startServer({ dataDir: opts.dataDir, port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
}
