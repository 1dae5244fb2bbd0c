import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared corpus directory: `shared/corpus` beside the repository (as in a developer's work tree and in
 * CI, which puts a copy of shared/ next to the clone), or OTPVAULT_CORPUS_DIR.
 */
export const CORPUS_DIR = process.env.OTPVAULT_CORPUS_DIR ?? fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));

/** Reads and parses one corpus JSON file; the caller states the shape it relies on. */
export function loadCorpus<T>(name: string): T {
  return JSON.parse(readFileSync(`${CORPUS_DIR}/${name}`, 'utf8')) as T;
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
