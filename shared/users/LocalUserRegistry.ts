/**
 * The local stand-in for the user pool's accounts: one small file per username under
 * `<dataDir>/issuer/users/`, holding the sub that name's current account has. The local issuer
 * puts that sub in the tokens it signs; `otpvault local users recreate <name>` gives the name a
 * new sub, as deleting and re-creating the user in Cognito would.
 *
 * A file is created exclusively (`wx`), so two processes enrolling the same name agree on one sub;
 * a re-creation replaces the file atomically (rename).
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { UserDirectory } from './UserDirectory';

/** Usernames the local issuer signs for (as `local/issuer.ts` checks them). */
const USERNAME = /^[A-Za-z0-9._@-]{1,128}$/;

interface UserFile {
  username: string;
  sub: string;
  /** ISO time the current account was created. */
  createdAt: string;
}

export class LocalUserRegistry {
  private readonly dir: string;

  /** @param usersDir - `<dataDir>/issuer/users` (see {@link localUsersDir}). */
  constructor(usersDir: string) {
    this.dir = resolve(usersDir);
  }

  /** The sub of `username`, enrolling it with a random one on first use. */
  async enrol(username: string): Promise<string> {
    const existing = await this.find(username);
    if (existing) return existing;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const record: UserFile = { username, sub: randomUUID(), createdAt: new Date().toISOString() };
    try {
      await writeFile(this.file(username), JSON.stringify(record), { mode: 0o600, flag: 'wx' });
      return record.sub;
    } catch (error) {
      // Another process enrolled the name first: its sub is the one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return (await this.find(username)) as string;
    }
  }

  /** The sub of `username`, or undefined when it was never enrolled. */
  async find(username: string): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(username), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<UserFile>;
    if (typeof parsed.sub !== 'string' || parsed.username !== username) throw new Error(`${this.file(username)} is not a user record of ${username}`);
    return parsed.sub;
  }

  /** Gives `username` a new account (new sub), like deleting and re-creating the user; returns the new sub. */
  async recreate(username: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const record: UserFile = { username, sub: randomUUID(), createdAt: new Date().toISOString() };
    const temporary = `${this.file(username)}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(record), { mode: 0o600, flag: 'wx' });
      await chmod(temporary, 0o600);
      await rename(temporary, this.file(username));
    } finally {
      await rm(temporary, { force: true });
    }
    return record.sub;
  }

  private file(username: string): string {
    if (!USERNAME.test(username)) throw new Error(`"${username}" is not a local username`);
    // The prefix keeps "." and ".." (valid usernames) from naming directories.
    return join(this.dir, `user-${username}.json`);
  }
}

/** `<dataDir>/issuer/users`, absolute. */
export function localUsersDir(dataDir: string): string {
  return resolve(dataDir, 'issuer', 'users');
}

/**
 * The local user directory. Unlike Cognito it enrols a name it does not know (a policy may name
 * a user before any token was minted for them): locally every well-formed username exists.
 */
export class LocalUserDirectory implements UserDirectory {
  constructor(private readonly registry: LocalUserRegistry) {}

  async subOf(username: string): Promise<string | undefined> {
    if (!USERNAME.test(username)) return undefined;
    return this.registry.enrol(username);
  }
}
