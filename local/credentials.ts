/**
 * The local stack's AWS credentials, one key pair per named identity, in `<dataDir>/credentials.json`
 * (mode 0600). The KMS emulator and the S3 server accept only signatures made with these, as the
 * real services accept only the account's keys; the handlers run as the `vault` identity.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const CREDENTIALS_FILE = 'credentials.json';

/** The identity the handlers (and the runner's own setup calls) sign with. */
export const VAULT_IDENTITY = 'vault';

export interface LocalKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

type Identities = Record<string, LocalKeyPair>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newKeyPair(): LocalKeyPair {
  const id = [...randomBytes(16)].map((byte) => ALPHABET[byte % 32]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

/** Reads every identity; a missing file holds none. */
export async function readLocalCredentials(dataDir: string): Promise<Identities> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, CREDENTIALS_FILE), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Identities) : {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/**
 * The key pair of `name`, created (and saved, mode 0600) on first use.
 *
 * @param dataDir - The local data directory.
 * @param name - Identity name; the handlers use {@link VAULT_IDENTITY}.
 * @example
 * const { accessKeyId, secretAccessKey } = await ensureLocalCredentials('.otpvault');
 */
export async function ensureLocalCredentials(dataDir: string, name: string = VAULT_IDENTITY): Promise<LocalKeyPair> {
  const identities = await readLocalCredentials(dataDir);
  const existing = identities[name];
  if (existing) return existing;
  const created = newKeyPair();
  await mkdir(dataDir, { recursive: true });
  // Written to a private temporary file, then renamed: the secret is never readable by others.
  const file = join(dataDir, CREDENTIALS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify({ ...identities, [name]: created }, null, 2));
  } finally {
    await handle.close();
  }
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return created;
}

/**
 * Looks up the secret of an access key id, reading the file again when the id is not known yet
 * (identities may be added while a server runs).
 */
export class LocalCredentialStore {
  private known = new Map<string, { name: string; secretAccessKey: string }>();

  constructor(private readonly dataDir: string) {}

  /** The identity name and secret of an access key id, if it is one of ours. */
  async lookup(accessKeyId: string): Promise<{ name: string; secretAccessKey: string } | undefined> {
    if (!this.known.has(accessKeyId)) {
      const identities = await readLocalCredentials(this.dataDir);
      this.known = new Map(Object.entries(identities).map(([name, pair]) => [pair.accessKeyId, { name, secretAccessKey: pair.secretAccessKey }]));
    }
    return this.known.get(accessKeyId);
  }

  async secretOf(accessKeyId: string): Promise<string | undefined> {
    return (await this.lookup(accessKeyId))?.secretAccessKey;
  }
}

export const CURSOR_KEY_FILE = 'cursor-key';

/** The key that seals listing cursors (`OTPVAULT_CURSOR_KEY`), made on first start, mode 0600. */
export async function ensureCursorKey(dataDir: string): Promise<string> {
  const file = join(dataDir, CURSOR_KEY_FILE);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64url');
  const handle = await open(file, 'wx', 0o600).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return undefined;
    throw error;
  });
  if (handle === undefined) return (await readFile(file, 'utf8')).trim();
  try {
    await handle.writeFile(key);
  } finally {
    await handle.close();
  }
  return key;
}
