import { operation } from '../../shared/api/operation';
import { listTemplates } from '../../shared/api/routes/listTemplates';
import { templateService } from '../../shared/api/services/templates';

export const handler = operation(listTemplates, async ({ input, deps }) => ({ items: await templateService(deps).list({ includeRetired: input.query.retired === true }) }));
