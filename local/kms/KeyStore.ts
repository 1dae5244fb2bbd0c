/**
 * Keys and aliases, kept in memory and persisted to `<dataDir>/kms/keys.json` (mode 0600, written
 * to a temporary file and renamed into place, one write at a time) so they survive a restart.
 * Keys are regional, as in KMS: a key or alias is found only from the region it was created in.
 */
import { randomUUID, createPrivateKey, type KeyObject } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { aliasArn, keyArn, parseKeyIdentifier } from './arns';
import { ErrorType, ServiceError } from './errors';
import { generateSigningKey, type AsymmetricKeySpec } from './asymmetric';
import { KeySpec, KeyUsage } from './keySpecs';
import { generateSymmetricKey } from './symmetric';

const FILE_NAME = 'keys.json';
const FILE_VERSION = 1;

/** Key material, by kind. */
export type KeyMaterial =
  | { kind: 'symmetric'; secret: Buffer }
  | { kind: 'asymmetric'; privateKey: KeyObject; pem: string };

export interface KmsKey {
  keyId: string;
  arn: string;
  region: string;
  createdAt: Date;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  material: KeyMaterial;
}

export interface KmsAlias {
  aliasName: string;
  arn: string;
  region: string;
  targetKeyId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What CreateKey asks for, already validated. */
export interface NewKey {
  region: string;
  description: string;
  keySpec: KeySpec;
}

interface StoredKey {
  keyId: string;
  region: string;
  createdAt: string;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  /** base64 secret for symmetric keys, PKCS #8 PEM for asymmetric ones. */
  material: string;
}

interface StoredAlias {
  aliasName: string;
  region: string;
  targetKeyId: string;
  createdAt: string;
  updatedAt: string;
}

interface StoredFile {
  version: number;
  keys: StoredKey[];
  aliases: StoredAlias[];
}

function regional(region: string, name: string): string {
  return `${region} ${name}`;
}

export class KeyStore {
  private readonly keys = new Map<string, KmsKey>();
  private readonly aliases = new Map<string, KmsAlias>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(private readonly directory: string) {}

  /** Opens (creating if needed) the store under `directory`, loading what an earlier run saved. */
  static async open(directory: string): Promise<KeyStore> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await chmod(directory, 0o700);
    const store = new KeyStore(directory);
    let text: string | undefined;
    try {
      text = await readFile(join(directory, FILE_NAME), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) store.load(JSON.parse(text) as StoredFile);
    return store;
  }

  private load(file: StoredFile): void {
    if (file.version !== FILE_VERSION) throw new Error(`unsupported ${FILE_NAME} version ${String(file.version)}`);
    for (const stored of file.keys) {
      const material: KeyMaterial =
        stored.keySpec === KeySpec.symmetricDefault
          ? { kind: 'symmetric', secret: Buffer.from(stored.material, 'base64') }
          : { kind: 'asymmetric', privateKey: createPrivateKey(stored.material), pem: stored.material };
      this.keys.set(regional(stored.region, stored.keyId), {
        keyId: stored.keyId,
        arn: keyArn(stored.region, stored.keyId),
        region: stored.region,
        createdAt: new Date(stored.createdAt),
        description: stored.description,
        keySpec: stored.keySpec,
        keyUsage: stored.keyUsage,
        material,
      });
    }
    for (const stored of file.aliases) {
      this.aliases.set(regional(stored.region, stored.aliasName), {
        aliasName: stored.aliasName,
        arn: aliasArn(stored.region, stored.aliasName),
        region: stored.region,
        targetKeyId: stored.targetKeyId,
        createdAt: new Date(stored.createdAt),
        updatedAt: new Date(stored.updatedAt),
      });
    }
  }

  /** Creates a key with fresh material and persists it before returning. */
  async createKey(request: NewKey, now: Date): Promise<KmsKey> {
    const keyId = randomUUID();
    const material: KeyMaterial =
      request.keySpec === KeySpec.symmetricDefault
        ? { kind: 'symmetric', secret: generateSymmetricKey() }
        : await asymmetricMaterial(request.keySpec);
    const key: KmsKey = {
      keyId,
      arn: keyArn(request.region, keyId),
      region: request.region,
      createdAt: now,
      description: request.description,
      keySpec: request.keySpec,
      keyUsage: request.keySpec === KeySpec.symmetricDefault ? KeyUsage.encryptDecrypt : KeyUsage.signVerify,
      material,
    };
    const id = regional(key.region, keyId);
    this.keys.set(id, key);
    await this.persist().catch((error: unknown) => {
      this.keys.delete(id);
      throw error;
    });
    return key;
  }

  /** Creates an alias for a key in the same region; fails if the name is taken. */
  async createAlias(region: string, aliasName: string, targetKeyId: string, now: Date): Promise<KmsAlias> {
    const id = regional(region, aliasName);
    if (this.aliases.has(id)) {
      throw new ServiceError(ErrorType.alreadyExists, `An alias with the name ${aliasArn(region, aliasName)} already exists`);
    }
    const alias: KmsAlias = { aliasName, arn: aliasArn(region, aliasName), region, targetKeyId, createdAt: now, updatedAt: now };
    this.aliases.set(id, alias);
    await this.persist().catch((error: unknown) => {
      this.aliases.delete(id);
      throw error;
    });
    return alias;
  }

  /**
   * Finds the key a `KeyId` member names (key id, key ARN, alias name or alias ARN), in `region`.
   * Throws `NotFoundException` as KMS does.
   */
  resolve(identifier: string, region: string): KmsKey {
    const parsed = parseKeyIdentifier(identifier);
    if (parsed.region !== undefined && parsed.region !== region) {
      throw new ServiceError(ErrorType.notFound, `Invalid arn ${identifier}`);
    }
    if (parsed.kind === 'key') {
      const key = this.keys.get(regional(region, parsed.keyId));
      if (key === undefined) throw new ServiceError(ErrorType.notFound, `Key '${keyArn(region, parsed.keyId)}' does not exist`);
      return key;
    }
    const alias = this.aliases.get(regional(region, parsed.aliasName));
    const key = alias && this.keys.get(regional(region, alias.targetKeyId));
    if (key === undefined) throw new ServiceError(ErrorType.notFound, `Alias ${aliasArn(region, parsed.aliasName)} is not found.`);
    return key;
  }

  /** The key with this id in `region`, if any (no alias or ARN resolution). */
  findKey(region: string, keyId: string): KmsKey | undefined {
    return this.keys.get(regional(region, keyId));
  }

  /** Aliases in `region`, sorted by name. */
  listAliases(region: string): KmsAlias[] {
    return [...this.aliases.values()]
      .filter((alias) => alias.region === region)
      .sort((a, b) => (a.aliasName < b.aliasName ? -1 : a.aliasName > b.aliasName ? 1 : 0));
  }

  /** Resolves once every write started so far has reached the disk. */
  async flush(): Promise<void> {
    await this.writes;
  }

  private persist(): Promise<void> {
    const next = this.writes.then(() => this.writeFile());
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async writeFile(): Promise<void> {
    const file: StoredFile = {
      version: FILE_VERSION,
      keys: [...this.keys.values()].map((key) => ({
        keyId: key.keyId,
        region: key.region,
        createdAt: key.createdAt.toISOString(),
        description: key.description,
        keySpec: key.keySpec,
        keyUsage: key.keyUsage,
        material: key.material.kind === 'symmetric' ? key.material.secret.toString('base64') : key.material.pem,
      })),
      aliases: [...this.aliases.values()].map((alias) => ({
        aliasName: alias.aliasName,
        region: alias.region,
        targetKeyId: alias.targetKeyId,
        createdAt: alias.createdAt.toISOString(),
        updatedAt: alias.updatedAt.toISOString(),
      })),
    };
    const target = join(this.directory, FILE_NAME);
    const temporary = `${target}.${process.pid}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(file), 'utf8');
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, target);
  }
}

async function asymmetricMaterial(spec: AsymmetricKeySpec): Promise<KeyMaterial> {
  const pem = await generateSigningKey(spec);
  return { kind: 'asymmetric', privateKey: createPrivateKey(pem), pem };
}
