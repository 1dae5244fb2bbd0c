import { operation } from '../../shared/api/operation';
import { createTemplate } from '../../shared/api/routes/createTemplate';

export const handler = operation(createTemplate, async ({ input, deps, scope }) =>
  deps.templates.create(input.body, scope.principal.id, deps.clock.now(), scope.audit),
);
