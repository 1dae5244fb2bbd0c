import { operation } from '../../shared/api/operation';
import { listTemplates } from '../../shared/api/routes/listTemplates';

export const handler = operation(listTemplates, async ({ deps }) => ({ items: await deps.templates.list() }));
