/**
 * The web console on the local runner, on the API's own origin: the built files of `web/dist`,
 * `/config.json` (local sign-in, API on the same origin) and `POST /local/session`, which exchanges a
 * one-time sign-in ticket for an access token. Everything else goes to the router.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorResponse, type LocalResponse } from './apiEvent';
import type { LocalIssuer } from './issuer';
import { exchangeLoginTicket, LoginTicketError } from './loginTickets';
import { CONSOLE_HEADERS, consoleCsp } from '../web/securityHeaders';

/** Where `web/build.ts` writes the console. */
export const CONSOLE_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
export const SESSION_PATH = '/local/session';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export interface ConsoleSiteOptions {
  dataDir: string;
  issuer: LocalIssuer;
  /** Folder of the built console. @default web/dist */
  dist?: string;
}

export interface ConsoleRequest {
  method: string;
  /** Path and query, as received. */
  target: string;
  body: Buffer;
}

/** Answers console requests; `undefined` means "not mine, ask the router". */
export type ConsoleSite = (request: ConsoleRequest) => Promise<LocalResponse | undefined>;

/**
 * @example
 * const site = createConsoleSite({ dataDir, issuer });
 * const answer = await site({ method: 'GET', target: '/', body: Buffer.alloc(0) });
 */
export function createConsoleSite(options: ConsoleSiteOptions): ConsoleSite {
  const dist = options.dist ?? CONSOLE_DIST;
  const headers = (type: string, cache: string): [string, string][] => [
    ['content-type', type],
    ['cache-control', cache],
    ['content-security-policy', consoleCsp({ connect: [] })],
    ...Object.entries(CONSOLE_HEADERS),
  ];
  return async ({ method, target, body }) => {
    const path = target.split('?')[0] as string;
    if (path === SESSION_PATH) {
      if (method !== 'POST') return errorResponse(405, 'MethodNotAllowed', `use POST ${SESSION_PATH}`, [['allow', 'POST']]);
      return session(options, body);
    }
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (path === '/config.json') {
      return { statusCode: 200, headers: headers(TYPES['.json'] as string, 'no-store'), body: Buffer.from(JSON.stringify({ auth: 'local', apiUrl: '' })) };
    }
    const file = path === '/' || path === '/index.html' ? 'index.html' : path.startsWith('/assets/') ? path.slice(1) : undefined;
    if (!file) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(file);
    } catch {
      return errorResponse(404, 'NotFound', 'no such file');
    }
    const resolved = normalize(join(dist, decoded));
    if (!resolved.startsWith(dist.endsWith(sep) ? dist : dist + sep)) return errorResponse(404, 'NotFound', 'no such file');
    let content: Buffer;
    try {
      content = await readFile(resolved);
    } catch {
      if (file === 'index.html') {
        return errorResponse(503, 'ConsoleNotBuilt', 'the web console is not built: run `npm run build:web` (npm start does it)');
      }
      return errorResponse(404, 'NotFound', 'no such file');
    }
    // Hashed asset names may be cached for good; index.html must be fetched again to see new ones.
    const cache = file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable';
    return { statusCode: 200, headers: headers(TYPES[extname(resolved)] ?? 'application/octet-stream', cache), body: content };
  };
}

async function session(options: ConsoleSiteOptions, body: Buffer): Promise<LocalResponse> {
  let ticket: unknown;
  try {
    ticket = (JSON.parse(body.toString('utf8')) as { ticket?: unknown }).ticket;
  } catch {
    return errorResponse(400, 'InvalidInput', 'send {"ticket":"..."} as JSON');
  }
  if (typeof ticket !== 'string') return errorResponse(400, 'InvalidInput', 'send {"ticket":"..."} as JSON');
  try {
    const answer = await exchangeLoginTicket(options.dataDir, options.issuer, ticket);
    return {
      statusCode: 200,
      headers: [['content-type', 'application/json'], ['cache-control', 'no-store']],
      body: Buffer.from(JSON.stringify(answer)),
    };
  } catch (error) {
    if (error instanceof LoginTicketError) return errorResponse(401, 'Unauthenticated', error.message);
    throw error;
  }
}
