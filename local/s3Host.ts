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

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`a server configuration is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function configOf(text: string): S3InstanceConfig {
  const value = JSON.parse(text) as Partial<S3InstanceConfig>;
  const names = (list: unknown): list is string[] => Array.isArray(list) && list.every((name) => typeof name === 'string');
  if (typeof value.dataDir !== 'string' || typeof value.directory !== 'string' || !names(value.buckets) || !names(value.writeOnceBuckets)) {
    throw new Error('expected {dataDir, directory, buckets, writeOnceBuckets}');
  }
  return { dataDir: value.dataDir, directory: value.directory, buckets: value.buckets, writeOnceBuckets: value.writeOnceBuckets };
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const answer = (status: number, json?: object) => {
    response.writeHead(status, json ? { 'content-type': 'application/json' } : {}).end(json ? JSON.stringify(json) : undefined);
  };
  if (!authorized(request)) return answer(401, { message: 'unknown token' });
  if (request.method === 'POST' && request.url === '/servers') {
    let config: S3InstanceConfig;
    try {
      config = configOf(await body(request));
    } catch (error) {
      return answer(400, { message: error instanceof Error ? error.message : String(error) });
    }
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
