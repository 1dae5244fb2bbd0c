import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { PortInUseError } from '../../../local/errors';
import { createRouter, type LambdaHandler } from '../../../local/router';
import { assertPortFree, startApiServer, type ApiServer } from '../../../local/server';
import { removeTempDataDirs, tempDataDir } from './helpers';

const echo: LambdaHandler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
  body: JSON.stringify({
    body: event.body ?? null,
    isBase64Encoded: event.isBase64Encoded,
    sourceIp: event.requestContext.http.sourceIp,
    cookies: event.cookies ?? [],
  }),
});

const router = createRouter({
  routes: [
    { op: 'echo', method: 'POST', path: '/echo' },
    { op: 'gone', method: 'DELETE', path: '/echo' },
  ],
  loadHandler: async (op) => (op === 'gone' ? async () => ({ statusCode: 204 }) : echo),
});

let server: ApiServer;
let jwksFile: string;

beforeAll(async () => {
  jwksFile = join(tempDataDir('server'), 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k1' }] }));
  server = await startApiServer({ router, port: 0, jwksFile });
});

afterAll(async () => {
  await server?.stop();
  removeTempDataDirs();
});

/** A raw request, to see repeated response headers as they were sent. */
function rawCall(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; rawHeaders: string[]; body: string }>((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('startApiServer', () => {
  it('listens on 127.0.0.1 only', () => {
    // Assess
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('passes the body, source address and cookies to the handler', async () => {
    // Act
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'x=1; y=2' },
      body: '{"a":1}',
    });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: '{"a":1}', isBase64Encoded: false, sourceIp: '127.0.0.1', cookies: ['x=1', 'y=2'] });
  });

  it('sends each response cookie as its own set-cookie header', async () => {
    // Act
    const response = await rawCall('POST', '/echo', Buffer.from('{}'), { 'content-type': 'application/json' });

    // Assess
    const setCookies = response.rawHeaders.filter((_, i) => i % 2 === 1 && response.rawHeaders[i - 1]?.toLowerCase() === 'set-cookie');
    expect(setCookies).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('sends a 204 without a body or content-length', async () => {
    // Act
    const response = await rawCall('DELETE', '/echo');

    // Assess
    expect(response.status).toBe(204);
    expect(response.body).toBe('');
    expect(response.rawHeaders.map((h) => h.toLowerCase())).not.toContain('content-length');
  });

  it('answers 413 for a body over 10 MB', async () => {
    // Act
    const response = await rawCall('POST', '/echo', Buffer.alloc(10 * 1024 * 1024 + 1), { 'content-type': 'application/octet-stream' });

    // Assess
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'PayloadTooLarge' } });
  });

  it('serves the JWKS file at /.well-known/jwks.json', async () => {
    // Act
    const response = await fetch(`${server.url}/.well-known/jwks.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ keys: [{ kty: 'RSA', kid: 'k1' }] });
  });

  it('answers 404 JSON for anything else', async () => {
    // Act
    const response = await fetch(`${server.url}/nothing/here`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NotFound', message: 'no route for GET /nothing/here' } });
  });

  it('fails with PortInUseError when the port is taken', async () => {
    // Act
    const second = startApiServer({ router, port: server.port });

    // Assess
    await expect(second).rejects.toThrow(PortInUseError);
    await expect(second).rejects.toThrow(`port ${server.port} on 127.0.0.1 is already in use`);
  });

  it('tells whether a port is free before anything slow starts', async () => {
    // Act
    const taken = assertPortFree(server.port);
    const any = assertPortFree(0);

    // Assess
    await expect(taken).rejects.toThrow(PortInUseError);
    await expect(any).resolves.toBeUndefined();
  });

  it('stops with an open keep-alive connection', async () => {
    // Prepare
    const other = await startApiServer({ router, port: 0 });
    await fetch(`${other.url}/echo`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', connection: 'keep-alive' } });

    // Act
    const stopped = other.stop();

    // Assess
    await expect(stopped).resolves.toBeUndefined();
  });
});
