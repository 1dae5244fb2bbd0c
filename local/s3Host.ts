/**
 * Runs in a child process (under `tsx`, with `--openssl-legacy-provider`) that serves several local S3
 * servers, one per stack, for a test run: starting a process for each stack's server (node, tsx and
 * s3rver loaded again) was about a CPU-second per test file. Each server is the same as a stack's own
 * (`local/s3rverInstance.ts`): its own port, folder, buckets and data directory whose key pairs it
 * accepts. Loopback only, and only for a caller that knows the token in `OTPVAULT_S3_HOST_TOKEN`:
 *
 * - `POST /servers` with an `S3InstanceConfig` as JSON starts one: `201 {"port": <port>}`;
 * - `DELETE /servers/<port>` stops it: `204`.
 *
 * Its own port is announced as `LISTENING <port>` on stdout. Exits when stdin closes, so it never
 * outlives the run that started it.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as z from 'zod';
import { readBodyUpTo, TOO_LARGE } from './internal/requestBody';
import { startS3rverInstance, type S3InstanceConfig, type S3rverInstance } from './s3rverInstance';

/** A server's configuration is a few paths and names. */
const MAX_BODY_BYTES = 16 * 1024;
const token = Buffer.from(process.env.OTPVAULT_S3_HOST_TOKEN ?? '');
if (token.length < 16) {
  process.stderr.write('OTPVAULT_S3_HOST_TOKEN must hold a token of at least 16 characters\n');
  process.exit(1);
}
const servers = new Map<number, S3rverInstance>();

function authorized(request: IncomingMessage): boolean {
  const sent = Buffer.from(request.headers.authorization?.replace(/^Bearer /, '') ?? '');
  return sent.length === token.length && timingSafeEqual(sent, token);
}

const ServerConfig = z
  .object({ dataDir: z.string(), directory: z.string(), buckets: z.array(z.string()), writeOnceBuckets: z.array(z.string()) })
  .strict();

/** The server configuration a POST carries, or why it is not one. */
async function configOf(request: IncomingMessage): Promise<S3InstanceConfig | string> {
  const body = await readBodyUpTo(request, MAX_BODY_BYTES);
  if (body === TOO_LARGE) return `a server configuration is at most ${MAX_BODY_BYTES} bytes`;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the body is not JSON';
  }
  const parsed = ServerConfig.safeParse(json);
  return parsed.success ? parsed.data : `expected {dataDir, directory, buckets, writeOnceBuckets}: ${z.prettifyError(parsed.error)}`;
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const answer = (status: number, json?: object) => {
    response.writeHead(status, json ? { 'content-type': 'application/json' } : {}).end(json ? JSON.stringify(json) : undefined);
  };
  if (!authorized(request)) return answer(401, { message: 'unknown token' });
  if (request.method === 'POST' && request.url === '/servers') {
    const config = await configOf(request);
    if (typeof config === 'string') return answer(400, { message: config });
    const server = await startS3rverInstance(config);
    servers.set(server.port, server);
    return answer(201, { port: server.port });
  }
  const port = /^\/servers\/(\d+)$/.exec(request.url ?? '')?.[1];
  if (request.method === 'DELETE' && port !== undefined) {
    const server = servers.get(Number(port));
    if (!server) return answer(404, { message: `no server on port ${port}` });
    servers.delete(Number(port));
    await server.close();
    return answer(204);
  }
  return answer(404, { message: 'POST /servers or DELETE /servers/<port>' });
}

const control = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
  });
});
control.listen(0, '127.0.0.1', () => {
  const address = control.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
const stop = async () => {
  control.close();
  await Promise.allSettled([...servers.values()].map((server) => server.close()));
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
