/**
 * Keeps the last `maxChars` characters a child process wrote, for error messages. A process that
 * logs forever must not grow memory forever.
 */
export class OutputTail {
  private text = '';

  constructor(private readonly maxChars = 16_000) {}

  /** Appends a chunk, dropping the oldest characters beyond the limit. */
  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.maxChars) this.text = this.text.slice(this.text.length - this.maxChars);
  }

  toString(): string {
    return this.text.trim();
  }
}
