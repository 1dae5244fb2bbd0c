import { jest } from '@jest/globals';
import { startTestVault, type TestVault } from '../helpers/vault';

// The request line every operation logs: what a CloudWatch Logs Insights query joins on.
describe('request log lines', () => {
  let vault: TestVault;
  const lines: Record<string, unknown>[] = [];
  let restore: () => void;

  beforeAll(async () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      for (const line of text.split('\n')) {
        if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      return true;
    });
    restore = () => spy.mockRestore();
    vault = await startTestVault({ logLevel: 'info' });
  });
  afterAll(async () => {
    restore?.();
    await vault?.stop();
  });

  it('carry the request id, the operation, the caller and whether the container was cold, one line per request', async () => {
    // Prepare
    const token = await vault.token('log-reader');
    // Act
    const first = await vault.call('GET', '/v1/me', { token });
    const second = await vault.call('GET', '/v1/me', { token });
    const denied = await vault.call('GET', '/v1/secrets/sec-none', { token });
    // Assess
    const requests = lines.filter((line) => line.message === 'request');
    const byId = (response: { headers: Headers }) => requests.filter((line) => line.requestId === response.headers.get('x-request-id'));
    expect(byId(first)).toEqual([expect.objectContaining({ level: 'info', operation: 'getMe', principal: 'user:log-reader', status: 200 })]);
    expect(byId(second)).toEqual([expect.objectContaining({ operation: 'getMe', status: 200, coldStart: false })]);
    expect(byId(denied)).toEqual([expect.objectContaining({ operation: 'getSecret', status: 403, errorCode: expect.any(String) })]);
    // Handlers share one module in the local runner, as one function's container does in Lambda: only its first request is cold.
    expect(requests.filter((line) => line.coldStart === true)).toHaveLength(1);
    expect(requests.every((line) => typeof line.latencyMs === 'number' && typeof line.time === 'string')).toBe(true);
  });
});
