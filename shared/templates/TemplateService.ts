import type { RequestAudit } from '../audit/RequestAudit';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { orConflict } from '../store/conditional';
import { BUILTIN_TEMPLATES, builtinTemplate } from './builtin';
import { ALWAYS_SENSITIVE, SINGLETON_TYPES, TEMPLATE_ID, type CreateTemplateInput, type ReplaceTemplateInput, type Template, type TemplateField } from './model';
import type { TemplateStore } from './TemplateStore';

/** Who changes a template, when, under which audit record, and (optionally) from which version. */
export interface TemplateChange {
  by: string;
  nowMs: number;
  audit: RequestAudit;
  /** When given, the change applies only if the template is still at this version (else 409). */
  expectedVersion?: number;
}

/** Built-in templates plus the ones admins defined. */
export class TemplateService {
  constructor(private readonly store: TemplateStore) {}

  /** Built-in templates, then custom ones by id; retired ones only when asked for. */
  async list(options: { includeRetired?: boolean } = {}): Promise<Template[]> {
    const custom = (await this.store.list()).filter((t) => options.includeRetired || t.retiredAt === undefined);
    return [...BUILTIN_TEMPLATES, ...custom.sort((a, b) => a.id.localeCompare(b.id))];
  }

  /** Any template, retired ones too: the secrets built from a template still name it. */
  async get(id: string): Promise<Template> {
    const template = builtinTemplate(id) ?? (await this.store.get(id));
    if (!template) throw new NotFoundError(`no template with id ${id}`, 'TemplateNotFound');
    return template;
  }

  /** A template a new secret may be built from: not a retired one. */
  async forNewSecret(id: string): Promise<Template> {
    const template = await this.get(id);
    if (template.retiredAt !== undefined) throw retired(template);
    return template;
  }

  /**
   * Replaces a custom template's name, description and fields. The secrets built from it keep reading
   * their fields through it, so every field it has keeps its name, type and sensitivity: fields may be
   * added, reordered, described, made required or optional, never removed or retyped.
   *
   * @throws ConflictError for a built-in or retired template, or one no longer at `expectedVersion`;
   *   InvalidInputError naming each field the change would break.
   */
  async replace(id: string, input: ReplaceTemplateInput, change: TemplateChange): Promise<Template> {
    change.audit.setTarget({ templateId: id });
    const previous = await this.current(id, 'changed', change.expectedVersion);
    const fields = checkFields(input.fields);
    const broken = previous.fields.flatMap((old) => {
      const now = fields.find((f) => f.name === old.name);
      if (!now) return [`field ${old.name} cannot be removed: secrets built from this template may hold it`];
      if (now.type !== old.type) return [`field ${old.name} cannot change type (${old.type} to ${now.type})`];
      if (now.sensitive !== old.sensitive) return [`field ${old.name} cannot change whether it is sensitive`];
      return [];
    });
    if (broken.length) {
      throw new InvalidInputError(`the change would break secrets built from ${id}: ${broken.join('; ')}; create a new template instead`, { problems: broken }, 'TemplateChangeBreaksSecrets');
    }
    const version = (previous.version ?? 1) + 1;
    const template: Template = { ...previous, name: input.name, description: input.description, fields, version, updatedAt: new Date(change.nowMs).toISOString(), updatedBy: change.by };
    const added = fields.filter((f) => !previous.fields.some((old) => old.name === f.name)).map((f) => f.name);
    const details = { templateVersion: version, fields: fields.length, ...(added.length ? { added: added.join(',') } : {}) };
    await this.written(id, () => change.audit.inTransaction(200, 'template replaced', details, (item) => this.store.put(template, previous.version ?? 1, item)));
    return template;
  }

  /**
   * Retires a custom template: it makes no new secret and leaves the listing, but stays readable for
   * the secrets built from it (they name it, and read their seed and recovery fields through it).
   */
  async retire(id: string, change: TemplateChange): Promise<void> {
    change.audit.setTarget({ templateId: id });
    const previous = await this.current(id, 'retired', change.expectedVersion);
    const version = (previous.version ?? 1) + 1;
    const at = new Date(change.nowMs).toISOString();
    const template: Template = { ...previous, version, retiredAt: at, retiredBy: change.by };
    await this.written(id, () => change.audit.inTransaction(204, 'template retired', { templateVersion: version }, (item) => this.store.put(template, previous.version ?? 1, item)));
  }

  /** The stored custom template a change starts from. */
  private async current(id: string, what: string, expectedVersion: number | undefined): Promise<Template> {
    if (builtinTemplate(id)) throw new ConflictError(`${id} is a predefined template and cannot be ${what}; create a template of your own`, 'BuiltinTemplate');
    const previous = await this.store.get(id);
    if (!previous) throw new NotFoundError(`no template with id ${id}`, 'TemplateNotFound');
    if (previous.retiredAt !== undefined) throw retired(previous);
    const version = previous.version ?? 1;
    if (expectedVersion !== undefined && version !== expectedVersion) {
      throw new ConflictError(`template ${id} is at version ${version}, not ${expectedVersion}; read it again`, 'TemplateVersionMismatch', { currentVersion: version });
    }
    return previous;
  }

  /** A write conditioned on the version read: a change that landed meanwhile makes it a 409. */
  private async written(id: string, write: () => Promise<unknown>): Promise<void> {
    await orConflict(write, () => new ConflictError(`template ${id} changed while this change was being made; read it again`, 'ConcurrentChange'));
  }

  async create(input: CreateTemplateInput, createdBy: string, nowMs: number, audit: RequestAudit): Promise<Template> {
    const id = input.id ?? slug(input.name);
    audit.setTarget({ templateId: id });
    if (builtinTemplate(id)) throw new ConflictError(`${id} is a predefined template; choose another id`, 'TemplateExists');
    const template: Template = {
      id,
      name: input.name,
      description: input.description,
      fields: checkFields(input.fields),
      builtin: false,
      createdAt: new Date(nowMs).toISOString(),
      createdBy,
      version: 1,
    };
    await orConflict(
      () => audit.inTransaction(201, 'template created', { fields: template.fields.length }, (item) => this.store.put(template, undefined, item)),
      () => new ConflictError(`a template with id ${id} already exists`, 'TemplateExists'),
    );
    return template;
  }
}

function retired(template: Template): ConflictError {
  return new ConflictError(`template ${template.id} was retired on ${template.retiredAt}; choose another template`, 'TemplateRetired');
}

function checkFields(fields: CreateTemplateInput['fields']): TemplateField[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) problems.push(`field ${f.name} is declared twice`);
    seen.add(f.name);
    if (f.sensitive === false && ALWAYS_SENSITIVE.includes(f.type)) problems.push(`field ${f.name}: ${f.type} fields are always sensitive`);
  }
  for (const type of SINGLETON_TYPES) {
    const count = fields.filter((f) => f.type === type).length;
    if (count > 1) problems.push(`a template holds at most one ${type} field (found ${count})`);
  }
  if (problems.length) throw new InvalidInputError(`invalid template: ${problems.join('; ')}`, { problems });
  return fields.map((f) => ({
    name: f.name,
    type: f.type,
    required: f.required,
    sensitive: ALWAYS_SENSITIVE.includes(f.type) || f.sensitive === true,
    ...(f.description ? { description: f.description } : {}),
  }));
}

function slug(name: string): string {
  const id = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  if (!TEMPLATE_ID.test(id)) throw new InvalidInputError('cannot derive a template id from the name; give an "id"', { field: 'id' });
  return id;
}
