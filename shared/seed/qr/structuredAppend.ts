import type { FoundQr } from './types';

const keyOf = (sequence: NonNullable<FoundQr['sequence']>): string => `${sequence.id}/${sequence.size}`;

/**
 * Joins each complete structured-append sequence found in one picture into one code, placed where its
 * first part in reading order was: the standard makes the parts one message (up to 16 symbols).
 * Incomplete or conflicting sequences stay as parts, so a picture of one part yields that part's text.
 *
 * @param found - codes in reading order
 * @example
 * joinStructuredAppend([part0, other, part1]); // [part0 + part1, other] when the sequence has 2 parts
 */
export function joinStructuredAppend(found: readonly FoundQr[]): FoundQr[] {
  const parts = new Map<string, Map<number, string> | 'conflict'>();
  for (const { sequence, text } of found) {
    if (!sequence) continue;
    const key = keyOf(sequence);
    const known = parts.get(key) ?? new Map<number, string>();
    const previous = known === 'conflict' ? undefined : known.get(sequence.index);
    if (known === 'conflict' || (previous !== undefined && previous !== text)) parts.set(key, 'conflict');
    else parts.set(key, known.set(sequence.index, text));
  }
  const messages = new Map<string, string>();
  for (const [key, byIndex] of parts) {
    if (byIndex === 'conflict') continue;
    const size = Number(key.slice(key.lastIndexOf('/') + 1));
    const texts = Array.from({ length: size }, (_, i) => byIndex.get(i));
    if (texts.every((t): t is string => t !== undefined)) messages.set(key, texts.join(''));
  }
  const out: FoundQr[] = [];
  const joined = new Set<string>();
  for (const item of found) {
    const key = item.sequence && keyOf(item.sequence);
    const message = key === undefined ? undefined : messages.get(key);
    if (key === undefined || message === undefined) out.push(item);
    else if (!joined.has(key)) {
      joined.add(key); // the first part stands for the message; the others are dropped
      out.push({ text: message, corners: item.corners });
    }
  }
  return out;
}
