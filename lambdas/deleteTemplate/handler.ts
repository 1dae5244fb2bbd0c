import { operation } from '../../shared/api/operation';
import { deleteTemplate } from '../../shared/api/routes/deleteTemplate';
import { templateService } from '../../shared/api/services/templates';

/** Retires the template (it stays readable for the secrets built from it). */
export const handler = operation(deleteTemplate, async ({ input, deps, caller, audit }) => {
  await templateService(deps).retire(input.params.templateId, {
    by: caller.principal.id,
    nowMs: deps.clock.now(),
    audit,
    expectedVersion: input.query.version,
  });
});
