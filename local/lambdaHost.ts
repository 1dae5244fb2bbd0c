/**
 * Runs the vault's Lambda handlers in this process, as Lambda would: the module a function is
 * deployed from (`lambdas/<name>/handler.ts`) is imported on the first invocation and kept (a
 * failed import is tried again next time), each invocation gets a Lambda context sized as the
 * function is, and a run past the function's timeout is abandoned. The router, the authorizer
 * gate and the stream poller all invoke through a host.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { FUNCTION_DEFAULTS } from '../shared/api/route';
import { buildLambdaContext } from './apiEvent';

/** Any Lambda handler: an event and a context in, a promise out. */
export type AnyHandler = (event: never, context: Context) => Promise<unknown>;

/** The function invoked: its folder under `lambdas/`, and its sizing (defaults: `FUNCTION_DEFAULTS`). */
export interface HostedFunction {
  name: string;
  timeoutSeconds?: number;
  memoryMb?: number;
}

/** `lambdas/<name>/handler.ts` does not exist (yet). */
export class HandlerMissingError extends Error {
  constructor(
    readonly op: string,
    readonly file: string,
  ) {
    super(`lambdas/${op}/handler.ts does not exist yet`);
    this.name = 'HandlerMissingError';
  }
}

/** The handler's module could not be imported (a syntax error, a failing top-level statement). */
export class HandlerLoadError extends Error {
  constructor(
    readonly fn: string,
    cause: unknown,
  ) {
    super(`the handler of ${fn} could not be loaded`, { cause });
    this.name = 'HandlerLoadError';
  }
}

/** The handler ran past its function's timeout. */
export class HandlerTimeoutError extends Error {
  constructor(
    readonly fn: string,
    readonly timeoutSeconds: number,
  ) {
    super(`did not finish within its ${timeoutSeconds} s timeout`);
    this.name = 'HandlerTimeoutError';
  }
}

const LAMBDAS_DIR = new URL('../lambdas/', import.meta.url);
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Imports `lambdas/<name>/handler.ts` and returns its `handler` export.
 *
 * @param name - the function's folder (an operation name, `authorizer`, `auditStreamConsumer`)
 * @throws HandlerMissingError when the file does not exist.
 */
export async function importHandler<H = AnyHandler>(name: string): Promise<H> {
  if (!FUNCTION_NAME.test(name)) throw new Error(`not a function name: ${name}`);
  const file = fileURLToPath(new URL(`${name}/handler.ts`, LAMBDAS_DIR));
  if (!existsSync(file)) throw new HandlerMissingError(name, file);
  // A file URL, not a path: an absolute Windows path is not a valid import specifier.
  const module: unknown = await import(pathToFileURL(file).href);
  const handler = typeof module === 'object' && module !== null ? (module as { handler?: unknown }).handler : undefined;
  if (typeof handler !== 'function') throw new Error(`lambdas/${name}/handler.ts does not export a function named handler`);
  return handler as H;
}

export interface LambdaHostOptions<H extends AnyHandler> {
  /** Where handlers come from. @default importHandler */
  load?: (name: string) => Promise<H>;
  /** Abandon a run past the function's timeout (HandlerTimeoutError). @default true */
  enforceTimeouts?: boolean;
}

export interface LambdaHost<H extends AnyHandler> {
  /**
   * Invokes `fn` with `event` and resolves with what the handler returned.
   *
   * @throws HandlerMissingError, HandlerLoadError (nothing ran), HandlerTimeoutError, or what the handler threw.
   */
  invoke(fn: HostedFunction, event: Parameters<H>[0]): Promise<Awaited<ReturnType<H>>>;
}

/**
 * Creates a host.
 *
 * @param options - Loader and timeouts.
 * @example
 * const host = createLambdaHost<StreamHandler>();
 * await host.invoke({ name: 'auditStreamConsumer', timeoutSeconds: 60 }, event);
 */
export function createLambdaHost<H extends AnyHandler>(options: LambdaHostOptions<H> = {}): LambdaHost<H> {
  const load = options.load ?? ((name: string) => importHandler<H>(name));
  const loaded = new Map<string, Promise<H>>();

  const handlerOf = async (name: string): Promise<H> => {
    let loading = loaded.get(name);
    if (!loading) {
      loading = load(name);
      loaded.set(name, loading);
      // A failed import is retried on the next invocation (the file may appear or be fixed).
      loading.catch(() => loaded.delete(name));
    }
    try {
      return await loading;
    } catch (error) {
      throw error instanceof HandlerMissingError ? error : new HandlerLoadError(name, error);
    }
  };

  return {
    invoke: async (fn, event): Promise<Awaited<ReturnType<H>>> => {
      const handler = await handlerOf(fn.name);
      const timeoutSeconds = fn.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds;
      const context = buildLambdaContext({ op: fn.name, timeoutSeconds, memoryMb: fn.memoryMb });
      const run = handler(event as never, context) as Promise<Awaited<ReturnType<H>>>;
      if (options.enforceTimeouts === false) return await run;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HandlerTimeoutError(fn.name, timeoutSeconds)), timeoutSeconds * 1000);
      });
      try {
        return await Promise.race([run, expired]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
