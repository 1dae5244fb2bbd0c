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
  const patterns = [bytes, Buffer.from(bytes.toString('hex')), Buffer.from(bytes.toString('base64').replace(/=+$/, ''))];
  if (typeof value === 'string') patterns.push(Buffer.from(value.toLowerCase()), Buffer.from(value.toUpperCase()));
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
