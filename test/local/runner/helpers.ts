import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingApiRequest } from '../../../local/apiEvent';

const created: string[] = [];

/** A fresh, empty data directory under the OS temp dir; `removeTempDataDirs` deletes it. */
export function tempDataDir(label = 'runner'): string {
  const dir = mkdtempSync(join(tmpdir(), `otpvault-${label}-`));
  created.push(dir);
  return dir;
}

/** Deletes every directory `tempDataDir` made in this test file; call it after stopping what used them. */
export function removeTempDataDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A request as the server would pass it to the router; override any part. */
export function incomingRequest(overrides: Partial<IncomingApiRequest> = {}): IncomingApiRequest {
  return {
    method: 'GET',
    target: '/health',
    rawHeaders: ['Host', '127.0.0.1:8787', 'User-Agent', 'curl/8.5.0', 'Accept', '*/*'],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    port: 8787,
    ...overrides,
  };
}
