import { operation } from '../../shared/api/operation';
import { replaceTemplate } from '../../shared/api/routes/replaceTemplate';
import { templateService } from '../../shared/api/services/templates';

export const handler = operation(replaceTemplate, async ({ input, deps, caller, audit }) =>
  templateService(deps).replace(input.params.templateId, input.body, {
    by: caller.principal.id,
    nowMs: deps.clock.now(),
    audit,
    expectedVersion: input.query.version,
  }),
);
