/**
 * Run by stackExit.test.ts as a process of its own, as `npm start` runs the stack: everything in its
 * threads (stream consumers, KMS emulator), one audited OTP with an alert, then stop. Prints
 * `stopped` and must then exit by itself: a worker, server or timer left behind would keep it alive.
 */
import { startLocalStack } from '../../../local/stack';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: stackExit.fixture.ts <dataDir>');
process.env.OTPVAULT_LOG_LEVEL = 'warn';
const stack = await startLocalStack({ dataDir, port: 0, iamPort: 0, quiet: true, streamPoller: 'worker' });
const token = await stack.issuer.signToken({ user: 'alice', groups: ['admins'] });
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const created = await fetch(`${stack.url}/v1/secrets`, {
  method: 'POST',
  headers,
  body: JSON.stringify({ path: '/exit/otp', template: 'otp-only', alertOnUse: true, fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } }),
});
const { id } = (await created.json()) as { id: string };
const otp = await fetch(`${stack.url}/v1/secrets/${id}/otp`, { method: 'POST', headers });
await stack.audit.flush();
await stack.alerts.flush();
await stack.stop();
process.stdout.write(`otp ${otp.status}\nstopped\n`);
