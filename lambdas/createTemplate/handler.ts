import { operation } from '../../shared/api/operation';
import { createTemplate } from '../../shared/api/routes/createTemplate';
import { templateService } from '../../shared/api/services/templates';

export const handler = operation(createTemplate, async ({ input, deps, caller, audit }) =>
  templateService(deps).create(input.body, caller.principal.id, deps.clock.now(), audit),
);
