import { operation } from '../../shared/api/operation';
import { revealField as revealFieldRoute } from '../../shared/api/routes/revealField';
import { templateService } from '../../shared/api/services/templates';
import { grantNote } from '../../shared/approvals/model';
import { revealField } from '../../shared/secrets/fieldReveal';

export const handler = operation(revealFieldRoute, async ({ input, deps, caller, audit, secret }) => ({
  ...(await revealField(secret, input.params.field, { sealed: deps.sealed, templates: templateService(deps) }, audit)),
  ...grantNote(caller.grant),
}));
