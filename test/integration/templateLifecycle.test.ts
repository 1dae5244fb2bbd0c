import { outboxReader, type OutboxReader } from '../helpers/outbox';
import { startTestVault, uniquePath, type ApiResponse, type TestVault } from '../helpers/vault';

// Changing and retiring custom templates through the local runner. Secrets keep naming their
// template and read their seed and recovery fields through it, so a change may not break them, and
// a retired template stays readable.

type TemplateBody = { id: string; name: string; version?: number; fields: { name: string; type: string; required: boolean; sensitive: boolean }[]; retiredAt?: string };

let vault: TestVault;
let outbox: OutboxReader;
let admin: string;
const SEED = 'JBSWY3DPEHPK3PXP';

const errorOf = (res: ApiResponse<unknown>) => (res.body as { error?: { code?: string; message?: string } }).error;
const FIELDS = [
  { name: 'username', type: 'text', required: true },
  { name: 'password', type: 'password' },
  { name: 'otpSeed', type: 'otpSeed' },
];

/** A new custom template with the three fields above; returns its id. */
async function newTemplate(): Promise<string> {
  const res = await vault.call<TemplateBody>('POST', '/v1/templates', { token: admin, body: { name: `Vendor ${uniquePath('/t').slice(3, 15)}`, fields: FIELDS } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const replace = (id: string, body: unknown, query = '') => vault.call<TemplateBody>('PUT', `/v1/templates/${id}${query}`, { token: admin, body });

beforeAll(async () => {
  vault = await startTestVault();
  outbox = outboxReader(vault);
  admin = await vault.token('alice', ['admins']);
}, 120_000);

afterAll(async () => {
  outbox?.close();
  await vault?.stop();
});

describe('PUT /v1/templates/{templateId}', () => {
  it('renames, describes, adds a field and changes what is required, at the next version, audited', async () => {
    // Prepare
    const id = await newTemplate();
    // Act
    const res = await replace(id, { name: 'Vendor portal', description: 'the billing portal', fields: [{ name: 'otpSeed', type: 'otpSeed' }, { name: 'username', type: 'text', required: false }, { name: 'password', type: 'password' }, { name: 'url', type: 'url' }] }, '?version=1');
    const read = await vault.call<TemplateBody>('GET', `/v1/templates/${id}`, { token: admin });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, name: 'Vendor portal', version: 2, updatedBy: 'user:alice' });
    expect(read.body.fields.map((f) => [f.name, f.required])).toEqual([['otpSeed', false], ['username', false], ['password', false], ['url', false]]);
    expect(await outbox.onlyEventOf(res)).toMatchObject({ operation: 'replaceTemplate', result: 'allowed', reason: 'template replaced', target: { templateId: id }, details: { templateVersion: 2, added: 'url' } });
  });

  it.each([
    ['removes a field', FIELDS.slice(0, 2), 'field otpSeed cannot be removed'],
    ['changes a field type', [FIELDS[0], { name: 'password', type: 'note' }, FIELDS[2]], 'field password cannot change type (password to note)'],
    ['makes a field sensitive', [{ name: 'username', type: 'text', sensitive: true }, FIELDS[1], FIELDS[2]], 'field username cannot change whether it is sensitive'],
  ])('refuses a change that %s with 400 naming the field, and changes nothing', async (_case, fields, message) => {
    // Prepare
    const id = await newTemplate();
    // Act
    const res = await replace(id, { name: 'Broken', fields });
    const read = await vault.call<TemplateBody>('GET', `/v1/templates/${id}`, { token: admin });
    // Assess
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'TemplateChangeBreaksSecrets', message: expect.stringContaining(message) });
    expect(read.body).toMatchObject({ version: 1, fields: expect.arrayContaining([expect.objectContaining({ name: 'otpSeed' })]) });
    expect(read.body.name).not.toBe('Broken');
  });

  it('refuses a stale version with 409 and the current one, a built-in template and an unknown one', async () => {
    // Prepare
    const id = await newTemplate();
    expect((await replace(id, { name: 'First change', fields: FIELDS })).status).toBe(200);
    // Act
    const stale = await replace(id, { name: 'Second change', fields: FIELDS }, '?version=1');
    const builtin = await replace('webapp-otp', { name: 'Mine now', fields: [{ name: 'note', type: 'note' }] });
    const unknown = await replace('no-such-template', { name: 'x', fields: FIELDS });
    // Assess
    expect([stale.status, errorOf(stale)?.code]).toEqual([409, 'TemplateVersionMismatch']);
    expect(stale.body).toMatchObject({ error: { details: { currentVersion: 2 } } });
    expect([builtin.status, errorOf(builtin)?.code]).toEqual([409, 'BuiltinTemplate']);
    expect([unknown.status, errorOf(unknown)?.code]).toEqual([404, 'TemplateNotFound']);
  });

  it('lets one of several concurrent changes from the same version land; the others get 409', async () => {
    // Prepare
    const id = await newTemplate();
    // Act
    const answers = await Promise.all(['One', 'Two', 'Three'].map((name) => replace(id, { name, fields: FIELDS }, '?version=1')));
    const read = await vault.call<TemplateBody>('GET', `/v1/templates/${id}`, { token: admin });
    // Assess
    const landed = answers.filter((a) => a.status === 200);
    expect(landed).toHaveLength(1);
    // Refused by the version read first, or by the write's condition when both read version 1.
    const refused = answers.filter((a) => a.status !== 200).map((a) => [a.status, errorOf(a)?.code]);
    expect(refused).toHaveLength(2);
    for (const answer of refused) expect(answer).toEqual([409, expect.stringMatching(/^(ConcurrentChange|TemplateVersionMismatch)$/)]);
    expect(read.body).toMatchObject({ version: 2, name: landed[0]?.body.name });
  });
});

describe('DELETE /v1/templates/{templateId} (retire)', () => {
  it('takes the template off the list and out of new secrets, while its secrets keep working', async () => {
    // Prepare: a secret built from the template, with its seed
    const id = await newTemplate();
    const path = uniquePath('/vendor');
    const secret = await vault.call<{ id: string }>('POST', '/v1/secrets', { token: admin, body: { path, template: id, fields: { username: 'ops', password: 'hunter2', otpSeed: { setupKey: SEED } } } });
    expect(secret.status).toBe(201);
    // Act
    const retired = await vault.call('DELETE', `/v1/templates/${id}?version=1`, { token: admin });
    const listed = await vault.call<{ items: TemplateBody[] }>('GET', '/v1/templates', { token: admin });
    const withRetired = await vault.call<{ items: TemplateBody[] }>('GET', '/v1/templates?retired=true', { token: admin });
    const read = await vault.call<TemplateBody>('GET', `/v1/templates/${id}`, { token: admin });
    const another = await vault.call('POST', '/v1/secrets', { token: admin, body: { path: uniquePath('/vendor'), template: id, fields: { username: 'x', otpSeed: { setupKey: SEED } } } });
    const code = await vault.call<{ code: string }>('POST', `/v1/secrets/${secret.body.id}/otp`, { token: admin });
    const reseeded = await vault.call('PUT', `/v1/secrets/${secret.body.id}/otp-seed`, { token: admin, body: { setupKey: 'GEZDGNBVGY3TQOJQ' } });
    const password = await vault.call<{ value: string }>('POST', `/v1/secrets/${secret.body.id}/fields/password/reveal`, { token: admin });
    // Assess
    expect(retired.status).toBe(204);
    expect(await outbox.onlyEventOf(retired)).toMatchObject({ operation: 'deleteTemplate', result: 'allowed', reason: 'template retired', target: { templateId: id } });
    expect(listed.body.items.map((t) => t.id)).not.toContain(id);
    expect(withRetired.body.items.find((t) => t.id === id)).toMatchObject({ retiredBy: 'user:alice', version: 2 });
    expect(read.status).toBe(200);
    expect(read.body.retiredAt).toEqual(expect.any(String));
    expect([another.status, errorOf(another)?.code]).toEqual([409, 'TemplateRetired']);
    expect(code.status).toBe(200);
    expect(code.body.code).toMatch(/^\d{6}$/);
    expect(reseeded.status).toBe(200);
    expect(password.body.value).toBe('hunter2');
  });

  it('refuses to retire a built-in template, or one already retired, and to change a retired one', async () => {
    // Prepare
    const id = await newTemplate();
    expect((await vault.call('DELETE', `/v1/templates/${id}`, { token: admin })).status).toBe(204);
    // Act
    const builtin = await vault.call('DELETE', '/v1/templates/otp-only', { token: admin });
    const again = await vault.call('DELETE', `/v1/templates/${id}`, { token: admin });
    const changed = await replace(id, { name: 'Back', fields: FIELDS });
    // Assess
    expect([builtin.status, errorOf(builtin)?.code]).toEqual([409, 'BuiltinTemplate']);
    expect([again.status, errorOf(again)?.code]).toEqual([409, 'TemplateRetired']);
    expect([changed.status, errorOf(changed)?.code]).toEqual([409, 'TemplateRetired']);
  });
});
