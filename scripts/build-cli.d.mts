/** Builds the CLI into `outdir` (default dist/cli); resolves to the entry file. */
export function buildCli(outdir?: string): Promise<string>;
