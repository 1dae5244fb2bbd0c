import { operation } from '../../shared/api/operation';
import { openApiDocument } from '../../shared/openapi/document';

let document: Record<string, unknown> | undefined;

/** The API description, built from the route table once per cold start; public like the health check. */
export const handler = operation('getOpenApi', async () => (document ??= openApiDocument()));
