import { operation } from '../../shared/api/operation';
import { getTemplate } from '../../shared/api/routes/getTemplate';

export const handler = operation(getTemplate, async ({ input, deps }) => deps.templates.get(input.params.templateId));
