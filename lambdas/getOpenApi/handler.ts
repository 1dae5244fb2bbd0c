import { operation } from '../../shared/api/operation';
import { getOpenApi } from '../../shared/api/routes/getOpenApi';
// The one function that reads every row: it describes them all (the document builder imports the route list).
import { openApiDocument } from '../../shared/openapi/document';

let document: Record<string, unknown> | undefined;

/** The API description, built from the route table once per cold start; public like the health check. */
export const handler = operation(getOpenApi, async () => (document ??= openApiDocument()));
