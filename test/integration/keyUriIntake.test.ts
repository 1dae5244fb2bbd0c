import { fromBase32 } from '../../shared/otp';
import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { referenceDecimalCode, referenceSteamCode } from '../helpers/steamReference';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

// Key URIs through the real handlers on the local runner: Steam Guard seeds, URIs without a label, HOTP
// counters (RFC 4226 values), and refusals that name the parameter. Expected codes come from the
// independent reference in test/helpers/steamReference.ts, never from the vault's own code.

let vault: TestVault;
let admin: string;
let outbox: OutboxReader;

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  admin = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});

/** KeePassXC's Steam test key (its codes were read off the Steam app; see test/shared/otp/steam.test.ts). */
const STEAM_KEY = '63BEDWCQZKTQWPESARIERL5DTTQFCJTK';
const SECRET = 'JBSWY3DPEHPK3PXP';
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** RFC 4226 Appendix D, counters 0 to 9. */
const RFC4226_CODES = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
const STEAM_CODE = /^[23456789BCDFGHJKMNPQRTVWXY]{5}$/;

interface OtpBody {
  code: string;
  type: string;
  encoder: string;
  digits: number;
  timeStep: number | null;
  counter: number | null;
  secondsRemaining: number | null;
  serverTime: string;
}

async function createOtpOnly(otpSeed: unknown) {
  return vault.call('POST', '/v1/secrets', { token: admin, body: { path: uniquePath('/keyuri'), template: 'otp-only', fields: { otpSeed } } });
}

async function otp(id: string, body?: unknown) {
  return vault.call<OtpBody>('POST', `/v1/secrets/${id}/otp`, { token: admin, body });
}

const seedView = async (id: string) => ((await vault.call('GET', `/v1/secrets/${id}`, { token: admin })).body.fields as Record<string, unknown>).otpSeed;
const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

async function secretCount(): Promise<number> {
  const res = await vault.call<{ items: unknown[] }>('GET', '/v1/secrets?limit=1000', { token: admin });
  return res.body.items.length;
}

describe('Steam Guard seeds through the API', () => {
  it('stores encoder=steam and hands out the Steam code of the current step', async () => {
    // Prepare
    const created = await createOtpOnly({ uri: `otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&issuer=Steam&encoder=steam` });
    const id = created.body.id as string;

    // Act
    const res = await otp(id);

    // Assess
    expect(created.status).toBe(201);
    expect(await seedView(id)).toMatchObject({ set: true, type: 'totp', encoder: 'steam', digits: 5, period: 30, algorithm: 'SHA1', issuer: 'Steam', account: 'gaben' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'totp', encoder: 'steam', digits: 5, period: 30, algorithm: 'SHA1' });
    expect(res.body.code).toMatch(STEAM_CODE);
    expect(res.body.code).toBe(referenceSteamCode(fromBase32(STEAM_KEY), unixSeconds(res.body.serverTime)));
    expect(res.body.timeStep).toBe(Math.floor(unixSeconds(res.body.serverTime) / 30));
    expect(created.text + res.text).not.toContain(STEAM_KEY);
  });

  it('audits the Steam code it hands out by encoder and step, never by value', async () => {
    // Prepare
    const created = await createOtpOnly({ uri: `otpauth://steam/Steam:gaben?secret=${STEAM_KEY}&issuer=Steam` });

    // Act
    const res = await otp(created.body.id as string);

    // Assess
    const events = await outbox.eventsOf(res.headers.get('x-request-id'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ operation: 'generateOtp', result: 'allowed', status: 200, details: { type: 'totp', encoder: 'steam', timeStep: res.body.timeStep } });
    expect(JSON.stringify(events[0])).not.toContain(`"${res.body.code}"`);
    const creation = await outbox.eventsOf(created.headers.get('x-request-id'));
    expect(creation[0]?.details).toMatchObject({ seed: true, encoder: 'steam' });
  });

  it("reads Steam's own enrolment URI (issuer Steam, no encoder) as Steam Guard", async () => {
    // Act
    const created = await createOtpOnly({ uri: `otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&issuer=Steam` });
    const res = await otp(created.body.id as string);

    // Assess
    expect(created.status).toBe(201);
    expect(res.body.code).toBe(referenceSteamCode(fromBase32(STEAM_KEY), unixSeconds(res.body.serverTime)));
  });

  it('waits out minValidSeconds for a Steam seed as for any TOTP', async () => {
    // Prepare
    const created = await createOtpOnly({ setupKey: STEAM_KEY, encoder: 'steam' });

    // Act
    const res = await otp(created.body.id as string, { minValidSeconds: 3 });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.secondsRemaining).toBeGreaterThanOrEqual(3);
    expect(res.body.code).toBe(referenceSteamCode(fromBase32(STEAM_KEY), unixSeconds(res.body.serverTime)));
  });

  it('overwrites a seed with a Steam key when verifyCode is the code the Steam app shows (typed in lower case)', async () => {
    // Prepare
    const created = await createOtpOnly({ uri: `otpauth://totp/Old:ops?secret=${SECRET}` });
    const id = created.body.id as string;
    const shown = referenceSteamCode(fromBase32(STEAM_KEY), Math.floor(Date.now() / 1000));

    // Act
    const put = await vault.call('PUT', `/v1/secrets/${id}/otp-seed`, {
      token: admin,
      body: { uri: `otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&encoder=steam`, verifyCode: shown.toLowerCase() },
    });
    const wrong = await vault.call('PUT', `/v1/secrets/${id}/otp-seed`, {
      token: admin,
      body: { uri: `otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&encoder=steam`, verifyCode: '123456' },
    });

    // Assess
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ fields: { otpSeed: { encoder: 'steam', digits: 5 } } });
    const overwritten = await outbox.eventsOf(put.headers.get('x-request-id'));
    expect(overwritten[0]?.details).toMatchObject({ type: 'totp', encoder: 'steam', seedVersion: 2 });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toMatch(/Steam Guard codes use only the characters/);
    expect(put.text + wrong.text).not.toContain(STEAM_KEY);
  });

  it('shows decimal seeds and codes as encoder decimal', async () => {
    // Prepare
    const created = await createOtpOnly({ uri: `otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example` });
    const id = created.body.id as string;

    // Act
    const res = await otp(id);

    // Assess
    expect(await seedView(id)).toMatchObject({ encoder: 'decimal', digits: 6 });
    expect(res.body).toMatchObject({ encoder: 'decimal', digits: 6 });
    expect(res.body.code).toBe(referenceDecimalCode(fromBase32(SECRET), Math.floor(unixSeconds(res.body.serverTime) / 30)));
  });
});

describe('URIs without a label through the API', () => {
  it('stores otpauth://totp?secret=...&issuer=Acme with the issuer and no account name', async () => {
    // Act
    const created = await createOtpOnly({ uri: `otpauth://totp?secret=${SECRET}&issuer=Acme` });
    const res = await otp(created.body.id as string);

    // Assess
    expect(created.status).toBe(201);
    expect(await seedView(created.body.id as string)).toMatchObject({ type: 'totp', issuer: 'Acme', account: '' });
    expect(res.body.code).toBe(referenceDecimalCode(fromBase32(SECRET), Math.floor(unixSeconds(res.body.serverTime) / 30)));
  });

  it('stores otpauth://hotp?secret=...&counter=1 and hands out the code for counter 1 first', async () => {
    // Act
    const created = await createOtpOnly({ uri: `otpauth://hotp?secret=${RFC_KEY_BASE32}&counter=1` });
    const first = await otp(created.body.id as string);
    const second = await otp(created.body.id as string);

    // Assess
    expect(created.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'hotp', encoder: 'decimal', counter: 1, code: RFC4226_CODES[1] });
    expect(second.body).toMatchObject({ counter: 2, code: RFC4226_CODES[2] });
  });
});

describe('HOTP counter=N through the API', () => {
  it('hands out the RFC 4226 codes for 5, 6 and 7 after counter=5', async () => {
    // Prepare
    const created = await createOtpOnly({ uri: `otpauth://hotp/Bank:ops?secret=${RFC_KEY_BASE32}&issuer=Bank&counter=5` });
    const id = created.body.id as string;

    // Act
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await otp(id)).body);

    // Assess
    expect(codes.map((c) => [c.counter, c.code])).toEqual([
      [5, RFC4226_CODES[5]],
      [6, RFC4226_CODES[6]],
      [7, RFC4226_CODES[7]],
    ]);
  });
});

describe('refused key URIs through the API', () => {
  it.each([
    ['an unknown encoder', `otpauth://totp/Acme:ops?secret=${SECRET}&encoder=yandex`, 'encoder', /encoder parameter "yandex" is not supported/],
    ['a PIN', `otpauth://totp/Acme:ops?secret=${SECRET}&pin=4711`, 'pin', /pin parameter is not supported/],
    ['algorithm twice with different values', `otpauth://totp/Acme:ops?secret=${SECRET}&algorithm=SHA1&algorithm=SHA256`, 'algorithm', /the algorithm parameter appears more than once with different values/],
    ['a Steam URI that says 6 digits', `otpauth://totp/Steam:gaben?secret=${SECRET}&encoder=steam&digits=6`, 'digits', /Steam Guard codes have 5 characters/],
  ])('answers 400 for %s, naming the parameter, quoting no seed and storing nothing', async (_name, uri, parameter, message) => {
    // Prepare
    const before = await secretCount();

    // Act
    const res = await createOtpOnly({ uri });

    // Assess
    expect(res.status).toBe(400);
    expect(await secretCount()).toBe(before);
    const events = await outbox.eventsOf(res.headers.get('x-request-id'));
    expect(events).toEqual([expect.objectContaining({ operation: 'createSecret', result: 'error', status: 400 })]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    const error = (res.body as { error: { message: string; details?: Record<string, unknown> } }).error;
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ field: 'uri', parameter });
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('4711');
  });
});
