import type { CliOutput } from '../program';

/** Prints `value` as indented JSON. */
export function printJson(output: CliOutput, value: unknown): void {
  output.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Rows as aligned columns, the header first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/**
 * Progress for long work (paging, batches), on stderr and only on a terminal: nothing when piped,
 * so scripts read clean output.
 */
export function progress(stream: NodeJS.WriteStream = process.stderr): { update(text: string): void; done(): void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let shown = false;
  return {
    update: (text) => {
      shown = true;
      stream.write(`\r\x1b[2K${text}`);
    },
    done: () => {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
