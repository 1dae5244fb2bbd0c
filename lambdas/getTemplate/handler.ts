import { operation } from '../../shared/api/operation';
import { getTemplate } from '../../shared/api/routes/getTemplate';
import { templateService } from '../../shared/api/services/templates';

export const handler = operation(getTemplate, async ({ input, deps }) => templateService(deps).get(input.params.templateId));
