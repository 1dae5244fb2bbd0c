import { operation } from '../../shared/api/operation';
import { createTemplate } from '../../shared/api/routes/createTemplate';

export const handler = operation(createTemplate, async ({ input, deps, caller, audit }) =>
  deps.templates.create(input.body, caller.principal.id, deps.clock.now(), audit),
);
