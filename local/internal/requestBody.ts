import type { IncomingMessage } from 'node:http';

/** What {@link readBodyUpTo} answers for a body over its limit. */
export const TOO_LARGE = Symbol('too large');

/**
 * Reads the whole body, keeping at most `maxBytes`. Past it, the rest is read and dropped, so the
 * client can finish sending and then read the refusal.
 */
export function readBodyUpTo(request: IncomingMessage, maxBytes: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.once('end', () => resolve(size > maxBytes ? TOO_LARGE : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
