import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir`. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** Byte patterns a secret value could leave behind, in the encodings a careless program would use. */
export function encodingsOf(value: string | Uint8Array): Buffer[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  const patterns = [bytes, Buffer.from(bytes.toString('hex')), Buffer.from(bytes.toString('hex').toUpperCase()), ...base64AtAnyOffset(bytes)];
  if (typeof value === 'string') patterns.push(Buffer.from(value.toLowerCase()), Buffer.from(value.toUpperCase()));
  return patterns;
}

/**
 * The base64 (and base64url) characters `bytes` always turn into, wherever they sit in a larger
 * buffer that is encoded: base64 works in 3-byte groups, so the text depends on the offset modulo 3.
 * For each of the three offsets, only the characters made of `bytes` alone are kept (those that
 * straddle a neighbour are left out).
 */
export function base64AtAnyOffset(bytes: Uint8Array): Buffer[] {
  const patterns: Buffer[] = [];
  for (const offset of [0, 1, 2]) {
    const text = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const pure = text.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    patterns.push(Buffer.from(pure), Buffer.from(pure.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return patterns;
}

export interface Hit {
  where: string;
  secret: string;
}

/** Which of the named secrets appear (in any of their encodings) in which of the named blobs. */
export function scan(blobs: { where: string; data: Buffer }[], secrets: { name: string; patterns: Buffer[] }[]): Hit[] {
  const hits: Hit[] = [];
  for (const blob of blobs) {
    for (const secret of secrets) {
      if (secret.patterns.some((p) => p.length >= 6 && blob.data.includes(p))) hits.push({ where: blob.where, secret: secret.name });
    }
  }
  return hits;
}

export function readAll(files: string[]): { where: string; data: Buffer }[] {
  return files.map((f) => ({ where: f, data: readFileSync(f) }));
}
