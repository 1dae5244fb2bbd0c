import { randomUUID } from 'node:crypto';
import type { RequestAudit } from '../audit/RequestAudit';
import type { Clock } from '../clock';
import { ConflictError, InvalidInputError } from '../errors';
import { steamDetail } from '../otp';
import { readSeed, type Seed, type SeedInput } from '../seed';
import { orConflict } from '../store/conditional';
import type { TemplateService } from '../templates/TemplateService';
import { checkFieldValues } from './fieldValues';
import type { OtpSummary, RecoveryRecord, RecoverySummary, SecretRecord, SeedRecord, StoredField } from './model';
import type { CreateSecretBody } from './schema';
import type { ListQuery, SecretStore } from './SecretStore';
import { bindings, type SealedValues } from './SealedValues';
import { secretView, type SecretView } from './view';

/** Creating, reading, overwriting and deleting secrets. Nothing here returns a sensitive value. */
export class SecretService {
  constructor(
    private readonly store: SecretStore,
    private readonly templates: TemplateService,
    private readonly sealed: SealedValues,
    private readonly clock: Clock,
  ) {}

  async create(body: CreateSecretBody, audit: RequestAudit): Promise<SecretView> {
    const template = await this.templates.forNewSecret(body.template);
    audit.setTarget({ path: body.path, templateId: template.id });
    const checked = checkFieldValues(template, body.fields);
    const now = this.clock.now();
    // Decode the seed (the expensive part) only once everything else is known to be valid.
    const seed = checked.seed ? await this.readSeedField(checked.seed.input, now) : undefined;
    const id = randomUUID();
    audit.setTarget({ secretId: id });
    const by = audit.principal?.id ?? 'unknown';
    const at = new Date(now).toISOString();

    const fields: Record<string, StoredField> = {};
    for (const [name, f] of Object.entries(checked.plain)) fields[name] = { type: f.type, sensitive: false, value: f.value };
    await Promise.all(
      Object.entries(checked.sensitive).map(async ([name, f]) => {
        fields[name] = { type: f.type, sensitive: true, ciphertext: await this.sealed.seal(f.value, bindings.field(id, name)) };
      }),
    );
    const secret: SecretRecord = { id, path: body.path, templateId: template.id, description: body.description, fields, createdAt: at, createdBy: by, updatedAt: at, updatedBy: by, version: 1 };
    if (body.alertOnUse) secret.alertOnUse = true;
    let seedRecord: SeedRecord | undefined;
    if (seed && checked.seed) {
      seedRecord = await this.sealSeed(id, checked.seed.field, seed, 1);
      secret.otp = otpSummary(checked.seed.field, seed, 1, at, by);
    }
    let recovery: RecoveryRecord | undefined;
    if (checked.recovery) {
      recovery = await this.sealRecovery(id, checked.recovery.field, checked.recovery.codes, 1);
      secret.recovery = { field: checked.recovery.field, total: checked.recovery.codes.length, version: 1, updatedAt: at, updatedBy: by };
    }

    await orConflict(
      () =>
        audit.inTransaction(201, 'secret created', { template: template.id, seed: Boolean(seed), ...(seed ? steamDetail(seed.params) : {}), recoveryCodes: recovery?.codes.length ?? 0 }, (item) =>
          this.store.create(secret, seedRecord, recovery, item),
        ),
      () => new ConflictError(`a secret already exists at ${body.path}`, 'PathTaken'),
    );
    return secretView(secret, recovery?.total);
  }

  async view(secret: SecretRecord): Promise<SecretView> {
    const remaining = secret.recovery ? await this.store.recoveryRemaining(secret.id) : undefined;
    return secretView(secret, remaining);
  }

  async list(query: ListQuery): Promise<{ items: SecretView[]; nextCursor?: string }> {
    const page = await this.store.list(query);
    return { items: page.items.map((s) => secretView(s)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async delete(secret: SecretRecord, audit: RequestAudit): Promise<void> {
    await orConflict(
      () => audit.inTransaction(204, 'secret deleted', {}, (item) => this.store.delete(secret, item)),
      () => new ConflictError('the secret changed while it was being deleted; try again', 'ConcurrentChange'),
    );
  }

  /** Replaces the seed; the old one is gone for good (it was never readable anyway). */
  async overwriteSeed(secret: SecretRecord, input: SeedInput, audit: RequestAudit): Promise<SecretView> {
    const template = await this.templates.get(secret.templateId);
    const field = secret.otp?.field ?? template.fields.find((f) => f.type === 'otpSeed')?.name;
    if (!field) throw new InvalidInputError(`template ${template.id} has no otpSeed field`);
    const now = this.clock.now();
    const seed = await this.readSeedField(input, now);
    const version = (secret.otp?.version ?? 0) + 1;
    const by = audit.principal?.id ?? 'unknown';
    const record = await this.sealSeed(secret.id, field, seed, version);
    const summary = otpSummary(field, seed, version, new Date(now).toISOString(), by);
    await this.guarded(() =>
      audit.inTransaction(200, 'seed overwritten', { type: seed.params.type, ...steamDetail(seed.params), seedVersion: version }, (item) => this.store.replaceSeed(secret, record, summary, item)),
    );
    return secretView({ ...secret, otp: summary, updatedAt: summary.updatedAt, updatedBy: by, version: secret.version + 1 });
  }

  async replaceRecoveryCodes(secret: SecretRecord, codes: string[], audit: RequestAudit): Promise<{ total: number; remaining: number }> {
    const template = await this.templates.get(secret.templateId);
    const field = secret.recovery?.field ?? template.fields.find((f) => f.type === 'recoveryCodes')?.name;
    if (!field) throw new InvalidInputError(`template ${template.id} has no recoveryCodes field`);
    const version = (secret.recovery?.version ?? 0) + 1;
    const by = audit.principal?.id ?? 'unknown';
    const recovery = await this.sealRecovery(secret.id, field, codes, version);
    const summary: RecoverySummary = { field, total: codes.length, version, updatedAt: new Date(this.clock.now()).toISOString(), updatedBy: by };
    await this.guarded(() =>
      audit.inTransaction(200, 'recovery codes replaced', { total: codes.length, setVersion: version }, (item) => this.store.replaceRecovery(secret, recovery, summary, item)),
    );
    return { total: codes.length, remaining: codes.length };
  }

  private async readSeedField(input: SeedInput, now: number): Promise<Seed> {
    return readSeed(input, now);
  }

  private async sealSeed(secretId: string, field: string, seed: Seed, version: number): Promise<SeedRecord> {
    const ciphertext = await this.sealed.seal(seed.key, bindings.seed(secretId, field, version));
    return { secretId, ciphertext, params: { ...seed.params }, counter: seed.params.counter, version };
  }

  private async sealRecovery(secretId: string, field: string, codes: string[], version: number): Promise<RecoveryRecord> {
    const sealed = await Promise.all(codes.map((code, i) => this.sealed.seal(code, bindings.recoveryCode(secretId, field, version, i))));
    return { secretId, version, codes: sealed, total: codes.length, next: 0 };
  }

  private async guarded(write: () => Promise<unknown>): Promise<void> {
    await orConflict(write, () => new ConflictError('the secret changed meanwhile (or was deleted); read it again and retry', 'ConcurrentChange'));
  }
}

function otpSummary(field: string, seed: Seed, version: number, at: string, by: string): OtpSummary {
  const p = seed.params;
  return { field, type: p.type, issuer: p.issuer, account: p.account, algorithm: p.algorithm, digits: p.digits, period: p.period, ...steamDetail(p), version, updatedAt: at, updatedBy: by };
}
