/**
 * Listing cursors, sealed: AES-256-GCM under a key only the vault's functions hold, with the
 * caller and the query as additional data. A cursor can point past a secret the caller may not
 * read (a page ends where the read budget did); sealed, it shows nothing of that position, and a
 * cursor that was edited, or made for another caller or query, is refused.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { InvalidInputError } from '../errors';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CursorSeal {
  private readonly key: Buffer;

  /**
   * @param secret - The cursor key (`OTPVAULT_CURSOR_KEY`, at least 32 characters). Without one, a
   *   random key: cursors then hold only within this process.
   */
  constructor(secret?: string) {
    if (secret !== undefined && secret.length < 32) throw new Error('the cursor key must be at least 32 characters');
    this.key = secret === undefined ? randomBytes(32) : createHash('sha256').update(`otpvault cursor key\0${secret}`).digest();
  }

  /** Seals `value` for `binding` (who asked, and for what). */
  seal(value: unknown, binding: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /**
   * Opens a cursor sealed for the same binding.
   *
   * @throws InvalidInputError for anything else.
   */
  open(cursor: string, binding: string): unknown {
    try {
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== cursor) throw new Error('malformed');
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES))
        .setAAD(Buffer.from(binding, 'utf8'))
        .setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as unknown;
    } catch {
      throw new InvalidInputError('the cursor is not one this API returned for this listing; start again without it', { field: 'cursor' });
    }
  }

  /**
   * Opens a cursor that holds a DynamoDB key (`ExclusiveStartKey`): exactly `fields`, each a string.
   *
   * @throws InvalidInputError for anything else.
   */
  openKey(cursor: string, binding: string, fields: readonly string[]): Record<string, string> {
    const key = this.open(cursor, binding);
    if (
      typeof key === 'object' && key !== null &&
      Object.keys(key).length === fields.length &&
      fields.every((f) => typeof (key as Record<string, unknown>)[f] === 'string')
    ) {
      return key as Record<string, string>;
    }
    throw new InvalidInputError('the cursor is not one this API returned', { field: 'cursor' });
  }
}
