import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { CliError, EXIT } from './errors';

/** A value, or with `-` the whole of stdin (keeps seeds and setup keys off the command line). */
export async function valueOrStdin(value: string): Promise<string> {
  if (value !== '-') return value;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** A file's text, or stdin for `-`. */
export async function fileOrStdin(file: string): Promise<string> {
  if (file === '-') return valueOrStdin('-');
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, EXIT.invalid);
  }
}

/** JSON from a file (or stdin), with a clear error. */
export async function jsonFile(file: string): Promise<unknown> {
  const text = await fileOrStdin(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, EXIT.invalid);
  }
}

export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export interface SeedOptions {
  qr?: string;
  uri?: string;
  key?: string;
  algorithm?: string;
  digits?: number;
  period?: number;
  verifyCode?: string;
}

/** The seed body (`{qrImage}`, `{uri}` or `{setupKey,...}`) the options describe, or undefined when none is given. */
export async function seedInput(options: SeedOptions): Promise<Record<string, unknown> | undefined> {
  const given = [options.qr, options.uri, options.key].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given > 1) throw new CliError('give one of --qr, --uri and --key', EXIT.invalid);
  const verify = options.verifyCode !== undefined ? { verifyCode: options.verifyCode } : {};
  if (options.qr !== undefined) {
    let picture: Buffer;
    try {
      picture = await readFile(options.qr);
    } catch (error) {
      throw new CliError(`cannot read ${options.qr}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, EXIT.invalid);
    }
    return { qrImage: picture.toString('base64'), ...verify };
  }
  if (options.uri !== undefined) return { uri: await valueOrStdin(options.uri), ...verify };
  return {
    setupKey: await valueOrStdin(options.key as string),
    ...(options.algorithm !== undefined ? { algorithm: options.algorithm } : {}),
    ...(options.digits !== undefined ? { digits: options.digits } : {}),
    ...(options.period !== undefined ? { period: options.period } : {}),
    ...verify,
  };
}

/** A line typed on the terminal without echo (a password); the prompt goes to stderr. */
export async function secretFromTerminal(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError('no terminal to read the password from: pass --password-stdin', EXIT.invalid);
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            stdin.off('data', onData);
            return resolve(typed);
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            return reject(new CliError('interrupted', EXIT.invalid));
          }
          if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/** A line typed on the terminal (echoed), e.g. a user name; the prompt goes to stderr. */
export async function lineFromTerminal(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError('no terminal to ask on: pass the value as an option', EXIT.invalid);
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}
