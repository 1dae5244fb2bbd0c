import { operation } from '../../shared/api/operation';
import { getOpenApi } from '../../shared/api/routes/getOpenApi';
// The document `npm run openapi` generates from every row (`-- --check` and the tests hold it to the
// rows): served as built, so this function carries neither every schema nor the JSON Schema converter.
import document from '../../docs/openapi.json';

/** The API description; public like the health check. */
export const handler = operation(getOpenApi, async () => document);
