/**
 * The local API endpoint: a thin node:http server on 127.0.0.1 that hands every request to the
 * router, plus the issuer's JWKS at `/.well-known/jwks.json`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { errorResponse, LIMITS, type LocalResponse } from './apiEvent';
import { PortInUseError } from './errors';
import type { Router } from './router';
import type { ConsoleSite } from './console';
import { readBodyUpTo, TOO_LARGE } from './internal/requestBody';

/** Only this machine can reach the local API. */
const LOCAL_HOST = '127.0.0.1';
const JWKS_PATH = '/.well-known/jwks.json';

export interface ApiServerOptions {
  router: Router;
  /** TCP port; `0` picks a free one. @default 0 */
  port?: number;
  /** JWKS file served at `/.well-known/jwks.json`; without it that path is an ordinary 404. */
  jwksFile?: string;
  /** The web console (static files, `/config.json`, `/local/session`), asked before the router. */
  console?: ConsoleSite;
}

export interface ApiServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  /** Stops listening and closes open connections. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the HTTP server.
 *
 * @param options - Router, port and JWKS file.
 * @throws PortInUseError when the port is taken.
 * @example
 * const server = await startApiServer({ router, port: 8787 });
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const server = createServer((request, response) => {
    serve(options, request, response).catch((error: unknown) => {
      // Only reached if writing the response itself failed.
      if (!response.headersSent) send(response, errorResponse(500, 'InternalError', String(error)));
      else response.destroy();
    });
  });
  const requestedPort = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(LOCAL_HOST, requestedPort) : error),
    );
    server.listen(requestedPort, LOCAL_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${LOCAL_HOST}:${port}`,
    port,
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/**
 * Fails fast when a fixed port is taken, before slower parts of a stack start. The port is free
 * again when this returns, so `startApiServer` can still lose a race for it (and then says so).
 *
 * @param port - The port to check; `0` always passes.
 * @throws PortInUseError when something listens on it.
 */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(LOCAL_HOST, port) : error));
    probe.listen(port, LOCAL_HOST, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

async function serve(options: ApiServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  // Kept up to the API Gateway limit; a larger body is read to its end, then answered with 413.
  const body = await readBodyUpTo(request, LIMITS.requestBodyBytes);
  const target = request.url ?? '/';
  if (options.jwksFile && request.method === 'GET' && target.split('?')[0] === JWKS_PATH) {
    send(response, {
      statusCode: 200,
      headers: [['content-type', 'application/json']],
      body: await readFile(options.jwksFile),
    });
    return;
  }
  if (body === TOO_LARGE) {
    send(response, errorResponse(413, 'PayloadTooLarge', `the request body is larger than API Gateway accepts (${LIMITS.requestBodyBytes} bytes)`));
    return;
  }
  if (options.console) {
    const site = await options.console({ method: request.method ?? 'GET', target, body });
    if (site) {
      send(response, site);
      return;
    }
  }
  const answer = await options.router.handle({
    method: request.method ?? 'GET',
    target,
    rawHeaders: request.rawHeaders,
    body,
    sourceIp: request.socket.remoteAddress ?? LOCAL_HOST,
    protocol: `HTTP/${request.httpVersion}`,
    port: request.socket.localPort ?? 0,
  });
  send(response, answer);
}

function send(response: ServerResponse, answer: LocalResponse): void {
  const headers = answer.headers.filter(([name]) => name !== 'content-length' && name !== 'transfer-encoding');
  // 204 and 304 carry neither a body nor a content-length.
  const bodyless = answer.statusCode === 204 || answer.statusCode === 304;
  if (!bodyless) headers.push(['content-length', String(answer.body.length)]);
  response.writeHead(answer.statusCode, headers.flat());
  response.end(bodyless ? undefined : answer.body);
}
