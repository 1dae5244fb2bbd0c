import { operation } from '../../shared/api/operation';
import { revealField as revealFieldRoute } from '../../shared/api/routes/revealField';
import { revealField } from '../../shared/secrets/fieldReveal';

export const handler = operation(revealFieldRoute, async ({ input, deps, audit, secret }) => revealField(secret, input.params.field, deps, audit));
