import { gunzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import QRCode from 'qrcode';
import { Secret } from 'otpauth';
import { createRouteMatcher } from '../../local/router';
import { routes } from '../../shared/api/routes';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';
import { encodingsOf, filesUnder, readAll, scan } from '../helpers/leakScan';

// A full run with known seeds, passwords and recovery codes, through every route, in success and in
// error; afterwards none of them may appear in the DynamoDB Local files, the KMS emulator's files,
// the S3 archive, stdout, stderr, the console, or any response (except the reveal responses whose
// job is to hand out one recovery code or one password). Each place scanned has its control: a known
// non-secret value the same scan must find there, so a place that is not really scanned fails.

interface Seen {
  op: string;
  status: number;
  contentType: string;
  text: string;
}

describe('no plaintext secret at rest, in logs or in responses', () => {
  let vault: TestVault;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const consoled: string[] = [];
  const restores: (() => void)[] = [];

  beforeAll(async () => {
    const capture = (stream: NodeJS.WriteStream, into: string[]) => {
      const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
      restores.push(() => spy.mockRestore());
    };
    capture(process.stdout, stdout);
    capture(process.stderr, stderr);
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void consoled.push(args.map(String).join(' ')));
      restores.push(() => spy.mockRestore());
    }
    // A DynamoDB Local of its own, on disk: the scan reads its database files (the run's shared one is in memory).
    vault = await startTestVault({ logLevel: 'debug', ownDynamoDb: true });
  });
  afterAll(async () => {
    for (const restore of restores.splice(0)) restore();
    await vault?.stop();
  });

  it('finds none of the stored secrets anywhere, and finds each control', async () => {
    // Prepare
    const seen: Seen[] = [];
    const match = createRouteMatcher(routes);
    const admin = await vault.token('alice', ['admins']);
    /** Calls the API and keeps the raw answer, whatever its content type. */
    const call = async (method: string, target: string, options: { body?: unknown; rawBody?: string; token?: string | null } = {}) => {
      const headers: Record<string, string> = {};
      const token = options.token === undefined ? admin : options.token;
      if (token) headers.authorization = `Bearer ${token}`;
      const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${vault.url}${target}`, { method, headers, body });
      const text = await res.text();
      const found = match(method, target.split('?')[0] as string);
      const entry = { op: found.kind === 'found' ? found.route.op : `(${found.kind})`, status: res.status, contentType: res.headers.get('content-type') ?? '', text };
      seen.push(entry);
      return { ...entry, json: () => JSON.parse(text) as Record<string, unknown> };
    };
    const seeds = Array.from({ length: 5 }, () => new Secret({ size: 20 }));
    const passwords = Array.from({ length: 3 }, (_, i) => `pw-${i}-${Math.random().toString(36).slice(2, 12)}`);
    const codes = Array.from({ length: 8 }, (_, i) => `rc${i}-${Math.random().toString(36).slice(2, 10)}`);
    // No PNG row filters: pngjs's search for the best one took over a second in jest's vm context; same
    // pixels. (qrcode hands rendererOpts to pngjs, which takes filterType; qrcode's typings omit it.)
    const unfiltered: { deflateLevel?: number; filterType: number } = { filterType: 0 };
    const png = await QRCode.toBuffer(`otpauth://totp/QR:alice?secret=${seeds[3]!.base32}&issuer=QR`, { type: 'png', width: 400, rendererOpts: unfiltered });
    const missing = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const today = new Date().toISOString().slice(0, 10);
    const webapp = (url: string, password: string, otpSeed: unknown, extra: Record<string, unknown> = {}) => ({
      path: uniquePath('/leak'),
      template: 'webapp-otp',
      fields: { url, username: 'someone', password, otpSeed, ...extra },
    });

    // Act: every route, with secrets in the requests, answered and refused.
    await call('GET', '/health');
    const a = await call('POST', '/v1/secrets', { body: webapp('https://a.example', passwords[0]!, { uri: `otpauth://totp/A:a?secret=${seeds[0]!.base32}` }, { recoveryCodes: codes.slice(0, 3) }) });
    const b = await call('POST', '/v1/secrets', { body: webapp('https://b.example', passwords[1]!, { setupKey: seeds[1]!.base32.toLowerCase(), digits: 8 }) });
    const c = await call('POST', '/v1/secrets', { body: webapp('https://c.example', passwords[2]!, { qrImage: png.toString('base64') }) });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    const [idA, idB, idC] = [a, b, c].map((r) => r.json().id as string) as [string, string, string];
    await call('POST', '/v1/secrets', { rawBody: `{"path":"/x","fields":{"otpSeed":{"setupKey":"${seeds[0]!.base32}"` });
    await call('POST', '/v1/secrets', { body: webapp('https://d.example', passwords[0]!, { setupKey: seeds[4]!.base32, digits: 5 }, { recoveryCodes: [codes[7]] }) });
    await call('POST', '/v1/secrets', { body: { ...webapp('https://e.example', passwords[1]!, { setupKey: seeds[4]!.base32 }), path: (a.json().path as string) } });
    await call('GET', '/v1/secrets');
    await call('GET', '/v1/secrets?path=no-slash');
    await call('GET', `/v1/secrets/${idA}`);
    await call('GET', `/v1/secrets/${missing}`);
    await call('PUT', `/v1/secrets/${idB}/otp-seed`, { body: { setupKey: seeds[2]!.base32 } });
    const mismatch = await call('PUT', `/v1/secrets/${idB}/otp-seed`, { body: { setupKey: seeds[4]!.base32, verifyCode: '000000' } });
    await call('PUT', `/v1/secrets/${missing}/otp-seed`, { body: { setupKey: seeds[4]!.base32 } });
    await call('PUT', `/v1/secrets/${idB}/recovery-codes`, { body: { codes: codes.slice(3, 6) } });
    await call('PUT', `/v1/secrets/${idB}/recovery-codes`, { body: { codes: [codes[6]], unexpected: true } });
    const otps: string[] = [];
    for (const id of [idA, idB, idC]) {
      const otp = await call('POST', `/v1/secrets/${id}/otp`);
      expect(otp.status).toBe(200);
      otps.push(otp.json().code as string);
    }
    await call('POST', `/v1/secrets/${missing}/otp`);
    const batch = await call('POST', '/v1/otp', { body: { prefix: '/leak' } });
    expect(batch.status).toBe(200);
    await call('POST', '/v1/otp', { body: { prefix: 'no-slash' } });
    expect((await call('GET', '/v1/openapi.json', { token: null })).status).toBe(200);
    await call('GET', '/v1/openapi.json?format=yaml', { token: null });
    const reveal = await call('POST', `/v1/secrets/${idA}/recovery-codes/reveal`);
    await call('POST', `/v1/secrets/${idC}/recovery-codes/reveal`);
    const fieldReveal = await call('POST', `/v1/secrets/${idA}/fields/password/reveal`);
    await call('POST', `/v1/secrets/${idA}/fields/no-such-field/reveal`);
    await call('GET', '/v1/templates');
    await call('GET', '/v1/templates/webapp-otp');
    await call('GET', '/v1/templates/no-such-template');
    const template = await call('POST', '/v1/templates', { body: { name: `Leak ${Math.random().toString(36).slice(2, 8)}`, fields: [{ name: 'note', type: 'note' }] } });
    await call('POST', '/v1/templates', { body: { name: passwords[0], fields: 'not a list' } });
    const templateId = template.json().id as string;
    await call('PUT', `/v1/templates/${templateId}`, { body: { name: 'Leak renamed', fields: [{ name: 'note', type: 'note' }, { name: 'extra', type: 'text' }] } });
    await call('PUT', `/v1/templates/${templateId}`, { body: { name: passwords[1], fields: [{ name: 'extra', type: 'text' }] } });
    await call('DELETE', `/v1/templates/${templateId}?version=9`);
    await call('DELETE', `/v1/templates/${templateId}`);
    await call('GET', '/v1/me');
    await call('GET', '/v1/me/secrets');
    await call('GET', '/v1/me/secrets?prefix=no-slash');
    const policy = { name: `leak ${Math.random().toString(36).slice(2, 8)}`, effect: 'allow', principals: ['user:nobody'], resources: ['/nowhere/**'], actions: ['secret:read'] };
    await call('GET', '/v1/policies');
    const created = await call('POST', '/v1/policies', { body: policy });
    const policyId = created.json().id as string;
    await call('POST', '/v1/policies', { body: { ...policy, name: passwords[1], effect: 'maybe' } });
    await call('POST', '/v1/policies/simulate', { body: { principal: 'user:olga', groups: ['ops'], action: 'otp:generate', path: '/ops/x' } });
    await call('POST', '/v1/policies/simulate', { body: { principal: 'user:olga', action: 'no:such' } });
    await call('GET', `/v1/policies/${policyId}`);
    await call('GET', '/v1/policies/pol-no-such-policy');
    await call('PUT', `/v1/policies/${policyId}`, { body: policy });
    await call('PUT', '/v1/policies/pol-no-such-policy', { body: policy });
    await call('DELETE', `/v1/policies/${policyId}`);
    await call('DELETE', `/v1/policies/${policyId}`);
    // Just-in-time access and alerts: each request route answered and refused.
    const oncall = await vault.token('bob', ['oncall']);
    const jitPolicy = { name: `leak jit ${Math.random().toString(36).slice(2, 8)}`, effect: 'allow', principals: ['group:oncall'], resources: [a.json().path, b.json().path, c.json().path], actions: ['otp:generate'] };
    expect((await call('POST', '/v1/policies', { body: { ...jitPolicy, approval: { approvers: ['user:alice'], minApprovals: 1, grantMinutes: 5 } } })).status).toBe(201);
    const ask = (secretId: string) => call('POST', '/v1/access-requests', { token: oncall, body: { secretId, actions: ['otp:generate'], justification: 'leak scan' } });
    const [toApprove, toDeny, toWithdraw] = [await ask(idA), await ask(idB), await ask(idC)];
    expect([toApprove.status, toDeny.status, toWithdraw.status]).toEqual([201, 201, 201]);
    const [approveId, denyId, withdrawId] = [toApprove, toDeny, toWithdraw].map((r) => r.json().id as string) as [string, string, string];
    await call('POST', '/v1/access-requests', { token: oncall, body: { secretId: idA, actions: ['no:such'] } });
    expect((await call('GET', '/v1/access-requests')).status).toBe(200);
    await call('GET', '/v1/access-requests?status=maybe');
    expect((await call('GET', `/v1/access-requests/${approveId}`)).status).toBe(200);
    await call('GET', `/v1/access-requests/${missing}`);
    expect((await call('POST', `/v1/access-requests/${approveId}/approve`, { body: { comment: 'ok' } })).status).toBe(200);
    await call('POST', `/v1/access-requests/${missing}/approve`);
    expect((await call('POST', `/v1/access-requests/${denyId}/deny`, { body: { comment: 'no' } })).status).toBe(200);
    await call('POST', `/v1/access-requests/${missing}/deny`);
    expect((await call('DELETE', `/v1/access-requests/${withdrawId}`, { token: oncall })).status).toBe(200);
    await call('DELETE', `/v1/access-requests/${missing}`, { token: oncall });
    expect((await call('PUT', `/v1/secrets/${idA}/alert-on-use`, { body: { alertOnUse: true } })).status).toBe(200);
    await call('PUT', `/v1/secrets/${idA}/alert-on-use`, { body: { alertOnUse: passwords[2] } });
    await call('DELETE', `/v1/secrets/${idC}`);
    await call('DELETE', `/v1/secrets/${missing}`);
    await call('GET', '/v1/me', { token: 'not-a-jwt' });
    await call('GET', '/v1/me', { token: null });
    await call('GET', '/v1/templates', { token: null });
    await call('GET', '/v1/policies', { token: await vault.token('mallory', ['nobody']) });
    // The audit log and its archive, once every event above has reached them.
    await vault.stack.audit.flush();
    const hour = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    await call('GET', '/v1/audit?limit=1000');
    await call('GET', '/v1/audit?limit=100000');
    const csv = await call('GET', `/v1/audit/export?from=${hour(-3_600_000)}&to=${hour(60_000)}`);
    const jsonl = await call('GET', `/v1/audit/export?from=${hour(-3_600_000)}&to=${hour(60_000)}&format=jsonl`);
    await call('GET', '/v1/audit/export?format=xml');
    await call('GET', `/v1/audit/reconcile?from=${hour(-3_600_000)}&to=${hour(60_000)}`);
    await call('GET', '/v1/audit/reconcile');
    await call('GET', `/v1/audit/verify?from=${today}`);
    await call('GET', '/v1/audit/verify?from=not-a-day');
    process.emitWarning('leak-scan stderr control');
    console.warn('leak-scan console control');
    await vault.stack.audit.flush();
    await vault.stop({ keepData: true });

    // Assess: every route answered, in success and in error.
    const ops: string[] = routes.map((route) => route.op).sort();
    const answered = (ok: boolean) => [...new Set(seen.filter((s) => (s.status < 400) === ok).map((s) => s.op))].filter((op) => ops.includes(op)).sort();
    expect(answered(true)).toEqual(ops);
    expect(answered(false)).toEqual(ops.filter((op) => op !== 'health'));
    expect(mismatch.status).toBe(400);
    expect([csv.status, jsonl.status, reveal.status, fieldReveal.status]).toEqual([200, 200, 200, 200]);

    const secrets = [
      ...seeds.map((s, i) => ({ name: `seed ${i}`, patterns: [...encodingsOf(s.base32), ...encodingsOf(s.bytes)] })),
      ...passwords.map((p, i) => ({ name: `password ${i}`, patterns: encodingsOf(p) })),
      ...codes.map((code, i) => ({ name: `recovery code ${i}`, patterns: encodingsOf(code) })),
    ];
    const files = filesUnder(vault.dataDir);
    const under = (part: string) => readAll(files.filter((f) => f.includes(`/${part}/`)));
    // Archive objects are gzip-compressed JSON Lines: scanned decompressed too.
    const archived = readAll(files)
      .filter((blob) => blob.data[0] === 0x1f && blob.data[1] === 0x8b)
      .map((blob) => ({ where: `${blob.where} (gunzipped)`, data: gunzipSync(blob.data) }));
    const places = {
      dynamodb: under('dynamodb'),
      kms: under('kms'),
      archive: archived,
      stdout: [{ where: 'stdout', data: Buffer.from(stdout.join('')) }],
      stderr: [{ where: 'stderr', data: Buffer.from(stderr.join('')) }],
      console: [{ where: 'console', data: Buffer.from(consoled.join('\n')) }],
    };
    const handOuts = new Set([reveal.text, fieldReveal.text]);
    const responses = seen.filter((s) => !handOuts.has(s.text)).map((s, i) => ({ where: `response ${i} (${s.op} ${s.status})`, data: Buffer.from(s.text) }));
    const blobs = [...readAll(files), ...Object.values(places).flat(), ...responses];
    expect(scan(blobs, secrets)).toEqual([]);
    // OTPs may appear in their own responses only.
    const otpPatterns = otps.map((code, i) => ({ name: `otp ${i}`, patterns: [Buffer.from(`"${code}"`)] }));
    expect(scan([...readAll(files), ...Object.values(places).flat()], otpPatterns)).toEqual([]);

    // The controls: known non-secret values the same scan finds in each place and each kind of response.
    const control = (blobsOfPlace: { where: string; data: Buffer }[], value: string) =>
      scan(blobsOfPlace, [{ name: value, patterns: [Buffer.from(value)] }]).length > 0;
    expect({
      dynamodb: control(places.dynamodb, 'https://a.example'),
      kms: control(places.kms, 'otpvault-seeds'),
      archive: control(places.archive, '"action":"otp:generate"'),
      stdout: control(places.stdout, '"message":"request"'),
      stderr: control(places.stderr, 'leak-scan stderr control'),
      console: control(places.console, 'leak-scan console control'),
    }).toEqual({ dynamodb: true, kms: true, archive: true, stdout: true, stderr: true, console: true });
    const kinds = {
      'json answer': seen.filter((s) => s.status < 400 && s.contentType.includes('json') && s.op === 'getSecret'),
      'json error': seen.filter((s) => s.status === 404 && s.op === 'getSecret'),
      csv: [csv],
      jsonl: [jsonl],
    };
    expect(Object.fromEntries(Object.entries(kinds).map(([kind, list]) => [kind, list.map((s) => s.contentType.split(';')[0])]))).toEqual({
      'json answer': ['application/json'],
      'json error': ['application/json'],
      csv: ['text/csv'],
      jsonl: ['application/x-ndjson'],
    });
    const asBlobs = (list: Seen[]) => list.map((s) => ({ where: s.op, data: Buffer.from(s.text) }));
    expect({
      'json answer': control(asBlobs(kinds['json answer']), 'https://a.example'),
      'json error': control(asBlobs(kinds['json error']), missing),
      csv: control(asBlobs(kinds.csv), 'otp:generate'),
      jsonl: control(asBlobs(kinds.jsonl), '"action":"otp:generate"'),
      'recovery reveal': scan(asBlobs([reveal]), secrets).map((hit) => hit.secret),
      'field reveal': scan(asBlobs([fieldReveal]), secrets).map((hit) => hit.secret),
    }).toEqual({
      'json answer': true,
      'json error': true,
      csv: true,
      jsonl: true,
      'recovery reveal': [`recovery code ${codes.indexOf(reveal.json().code as string)}`],
      'field reveal': ['password 0'],
    });
  });
});
