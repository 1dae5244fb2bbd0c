import type { RequestAudit } from '../audit/RequestAudit';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { orConflict } from '../store/conditional';
import { BUILTIN_TEMPLATES, builtinTemplate } from './builtin';
import { ALWAYS_SENSITIVE, SINGLETON_TYPES, TEMPLATE_ID, type CreateTemplateInput, type Template, type TemplateField } from './model';
import type { TemplateStore } from './TemplateStore';

/** Built-in templates plus the ones admins defined. */
export class TemplateService {
  constructor(private readonly store: TemplateStore) {}

  async list(): Promise<Template[]> {
    const custom = await this.store.list();
    return [...BUILTIN_TEMPLATES, ...custom.sort((a, b) => a.id.localeCompare(b.id))];
  }

  async get(id: string): Promise<Template> {
    const template = builtinTemplate(id) ?? (await this.store.get(id));
    if (!template) throw new NotFoundError(`no template with id ${id}`, 'TemplateNotFound');
    return template;
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
    };
    await orConflict(
      () => audit.inTransaction(201, 'template created', { fields: template.fields.length }, (item) => this.store.create(template, item)),
      () => new ConflictError(`a template with id ${id} already exists`, 'TemplateExists'),
    );
    return template;
  }
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
