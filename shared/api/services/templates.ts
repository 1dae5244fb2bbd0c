import { TemplateService } from '../../templates/TemplateService';
import { TemplateStore } from '../../templates/TemplateStore';
import { builtOnce, type Deps } from '../deps';

/** Secret templates (the template routes, secret creation, field reveal). */
export const templateService = (deps: Deps): TemplateService =>
  builtOnce(deps, templateService, () => new TemplateService(new TemplateStore(deps.db, deps.config.tables.vault)));
