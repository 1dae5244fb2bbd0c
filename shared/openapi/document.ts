import * as z from 'zod';
import { apiOperations, type ApiOperation } from './operations';
import { ERROR_STATUSES, ErrorBodySchema } from './errorBody';

/** A JSON Schema / OpenAPI object: plain JSON. */
type Json = Record<string, unknown>;

export const OPENAPI_PATH = '/v1/openapi.json';

const API_DESCRIPTION = [
  'otpvault: KMS-encrypted MFA seeds and recovery codes behind a serverless API.',
  'Two APIs serve the same operations: ApiUrl takes bearer tokens (Cognito access tokens; the local issuer locally),',
  'IamApiUrl takes requests SigV4-signed (service execute-api) with the temporary credentials of an IAM role.',
  'Every request a route answers is audited; an OTP, recovery code or revealed field is returned only once its audit event is durable.',
].join(' ');

/**
 * The OpenAPI 3.1 document of the API, built from the operations (see `apiOperations`) and their zod
 * schemas through zod's own JSON Schema output (`io: 'input'`: what a client sends). Deterministic:
 * the checked-in `docs/openapi.json` is this, and a test compares the two.
 *
 * @param operations - @default apiOperations()
 * @example
 * const document = openApiDocument();
 */
export function openApiDocument(operations: readonly ApiOperation[] = apiOperations()): Json {
  const paths: Record<string, Json> = {};
  for (const operation of operations) {
    const item = (paths[operation.path] ??= {});
    item[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'otpvault API', version: '1', description: API_DESCRIPTION },
    servers: [
      { url: '{apiUrl}', description: 'Bearer-token API (stack output ApiUrl; the local runner by default)', variables: { apiUrl: { default: 'http://127.0.0.1:8787' } } },
      { url: '{iamApiUrl}', description: 'SigV4 API (stack output IamApiUrl; the local runner by default)', variables: { iamApiUrl: { default: 'http://127.0.0.1:8788' } } },
    ],
    security: [{ bearer: [] }, { sigv4: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito access token (locally: `otpvault local token`). Refused tokens get 403 and are audited.',
        },
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS Signature Version 4, service execute-api, signed with the temporary credentials of an IAM role (locally: `otpvault local credentials --role <name>`).',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
      schemas: { Error: jsonSchema(ErrorBodySchema) },
      responses: Object.fromEntries(
        Object.entries(ERROR_STATUSES).map(([status, description]) => [
          errorResponseName(status),
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
    },
  };
}

function operationObject(operation: ApiOperation): Json {
  const parameters = [...parametersOf(operation.params, 'path'), ...parametersOf(operation.query, 'query')];
  const result: Json = {
    operationId: operation.op,
    summary: operation.summary,
    ...(operation.action ? { 'x-otpvault-action': operation.action } : {}),
    ...(operation.auth === 'none' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
  };
  if (operation.requestBody) {
    result.requestBody = {
      required: operation.body === 'json',
      // Checked before parsing: a larger body is refused with 413.
      'x-otpvault-max-body-bytes': operation.maxBodyBytes,
      content: { 'application/json': { schema: jsonSchema(operation.requestBody) } },
    };
  }
  result.responses = responsesOf(operation, parameters);
  return result;
}

function parametersOf(schema: z.ZodType, location: 'path' | 'query'): Json[] {
  const object = jsonSchema(schema);
  const properties = (object.properties ?? {}) as Record<string, Json>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function responsesOf(operation: ApiOperation, parameters: readonly Json[]): Json {
  const success =
    operation.successStatus === 204
      ? { description: 'Done; no content' }
      : { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } };
  const errors: number[] = [500];
  if (parameters.length > 0 || operation.requestBody) errors.push(400);
  if (operation.auth === 'required') errors.push(401, 403, 503);
  if (parameters.some((p) => p.in === 'path')) errors.push(404);
  if (operation.method !== 'GET') errors.push(409);
  if (operation.requestBody) errors.push(413, 415);
  const responses: Json = { [String(operation.successStatus)]: success };
  for (const status of errors.sort((a, b) => a - b)) responses[String(status)] = { $ref: `#/components/responses/${errorResponseName(String(status))}` };
  return responses;
}

function errorResponseName(status: string): string {
  return `Error${status}`;
}

/** zod's JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of what a client sends. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  if ('$defs' in rest) throw new Error('a route schema produced $defs: hoist them into components before using recursive schemas');
  return rest;
}
