import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { jest } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { OtpVaultStack } from '../../../infra/stack';
import { REPO_ROOT } from '../../../infra/projectPaths';
import { createRouter, type LambdaHandler } from '../../../local/router';
import type { RouteDefinition } from '../../../shared/api/route';
import { routes } from '../../../shared/api/routes';
import { OPERATIONS } from '../../../shared/client/operations';
import { openApiDocument } from '../../../shared/openapi/document';
import { OPENAPI_FILE } from '../../../shared/openapi/generated';
import { ZXING_WASM_ENV } from '../../../shared/seed/qr/zxingModule';
import { incomingRequest } from '../../local/runner/helpers';
import { cdkJsonContext, logicalIdOf, temporaryOutdir } from '../../infra/synthHelpers';

/**
 * Each operation is declared once, in its row. Walks every row and checks that what the deployed
 * function (the synthesized template) and the local runner use is what the row says: route key,
 * authentication, memory, timeout and the picture decoders' binary; that the OpenAPI document
 * (generated and checked in) and the typed client's operation table describe the row: method, path,
 * authentication, action, parameters, body schema and size limit, success status; and that each
 * handler is wired to its own row and nothing else.
 */

const ROWS: readonly RouteDefinition[] = routes;
const rows = ROWS.map((row) => [row.op, row] as const);

describe('every row is declared once, in its own file, and its handler reads that row', () => {
  it('has one row per operation, named after its file, and one handler folder per row', () => {
    // Prepare
    const rowFiles = readdirSync(join(REPO_ROOT, 'shared/api/routes')).filter((f) => !/^index\.ts$|Inputs\.ts$|^inputs\.ts$/.test(f));
    const handlerFolders = readdirSync(join(REPO_ROOT, 'lambdas'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

    // Assess
    expect(new Set(ROWS.map((r) => r.op)).size).toBe(ROWS.length);
    expect(rowFiles.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(ROWS.map((r) => r.op).sort());
    for (const row of ROWS) expect(handlerFolders).toContain(row.op);
  });

  it.each(rows)('lambdas/%s/handler.ts imports its own row, and neither another row nor the route list', (op) => {
    // Prepare
    const source = readFileSync(join(REPO_ROOT, 'lambdas', op, 'handler.ts'), 'utf8');
    const imported = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);

    // Assess
    expect(imported.filter((path) => /shared\/api\/routes\//.test(path))).toEqual([`../../shared/api/routes/${op}`]);
    expect(imported.some((path) => /shared\/api\/routes(\/index)?$/.test(path))).toBe(false);
  });
});

describe('the deployed function and route read the row', () => {
  let stack: OtpVaultStack;
  let template: Template;

  beforeAll(() => {
    // Prepare: no bundling (`aws:cdk:bundling-stacks` empty); sizing, environment and routes are what is checked.
    // No built-in CloudFormation validation either (nine CPU-seconds): nag.test.ts validates this stack.
    const app = new App({ outdir: temporaryOutdir(), context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
    stack = new OtpVaultStack(app, 'RowParity');
    // Act
    template = Template.fromStack(stack);
  }, 120_000);

  const functionOf = (op: string) => template.toJSON().Resources[logicalIdOf(stack.functions.functionFor(op))].Properties;
  const routesWithKey = (key: string) =>
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.RouteKey === key);

  it.each(rows)('%s: memory, timeout and the picture decoders as the row says', (_op, row) => {
    // Assess
    const fn = functionOf(row.op);
    expect(fn.MemorySize).toBe(row.memoryMb);
    expect(fn.Timeout).toBe(row.timeoutSeconds);
    expect(ZXING_WASM_ENV in fn.Environment.Variables).toBe(row.decodesPictures);
  });

  it.each(rows)('%s: served at its method and path on both APIs, with a token check unless the row needs none', (_op, row) => {
    // Assess
    const served = routesWithKey(`${row.method} ${row.path}`);
    expect(served).toHaveLength(2);
    for (const route of served) {
      expect(route.Properties.AuthorizationType === 'NONE').toBe(row.auth === 'none');
    }
    const integrations = template.toJSON().Resources as Record<string, { Properties: { IntegrationUri?: unknown } }>;
    for (const route of served) {
      const integrationId = JSON.stringify(route.Properties.Target).match(/"Ref":"([^"]+)"/)?.[1] as string;
      expect(integrations[integrationId]?.Properties.IntegrationUri).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack.functions.functionFor(row.op)), 'Arn'],
      });
    }
  });
});

describe('the local runner reads the row', () => {
  interface Seen {
    op: string;
    context: Context;
  }

  function runner() {
    const seen: Seen[] = [];
    let authorizerCalls = 0;
    const router = createRouter({
      routes: ROWS,
      enforceTimeouts: false,
      loadHandler: async (op): Promise<LambdaHandler> => async (_event, context) => {
        seen.push({ op, context });
        return { statusCode: 200, body: '{}' };
      },
      loadAuthorizer: async () => async () => {
        authorizerCalls++;
        return { isAuthorized: true, context: { principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]' } };
      },
    });
    return { router, seen, authorizerCalls: () => authorizerCalls };
  }

  afterEach(() => jest.restoreAllMocks());

  it.each(rows)('%s: mounted at its method and path, token checked as declared, sized as declared', async (_op, row) => {
    // Prepare: the clock stands still, so the time left is the whole timeout.
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-01-01T00:00:00Z'));
    const { router, seen, authorizerCalls } = runner();
    const path = row.path.replace(/\{[A-Za-z0-9_]+\}/g, 'x-1');

    // Act
    const response = await router.handle(
      incomingRequest({ method: row.method, target: path, rawHeaders: ['Host', '127.0.0.1', 'Authorization', 'Bearer t'] }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(seen.map((s) => s.op)).toEqual([row.op]);
    const context = (seen[0] as Seen).context;
    expect(context.memoryLimitInMB).toBe(String(row.memoryMb));
    expect(context.getRemainingTimeInMillis()).toBe(row.timeoutSeconds * 1000);
    expect(authorizerCalls()).toBe(row.auth === 'required' ? 1 : 0);
  });
});

describe('the OpenAPI document and the typed client read the row', () => {
  type Json = Record<string, any>;
  const document = openApiDocument() as Json;
  const operationOf = (row: RouteDefinition): Json => document.paths[row.path]?.[row.method.toLowerCase()];
  const partsOf = (row: RouteDefinition) => (row.input as z.ZodObject).shape as { params: z.ZodType; query: z.ZodType; body: z.ZodType };
  /** What a client sends, as JSON Schema, straight from the row's zod schema (not through the document's adapter). */
  const schemaOf = (schema: z.ZodType): Json => {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    return rest;
  };
  /** The one policy action a row's authorization checks, if it names exactly one. */
  const actionOf = (row: RouteDefinition): string | undefined => {
    const a = row.authorize;
    if ('action' in a) return a.action;
    return a.on === 'anywhere' && a.anyOf.length === 1 ? a.anyOf[0] : undefined;
  };
  const parametersOf = (schema: z.ZodType, location: 'path' | 'query'): Json[] => {
    const object = schemaOf(schema);
    const required = new Set<string>(object.required ?? []);
    return Object.entries((object.properties ?? {}) as Record<string, Json>).map(([name, { description, ...rest }]) => ({
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description !== undefined ? { description } : {}),
      schema: rest,
    }));
  };

  it('is checked in as generated, and describes each row once', () => {
    // Prepare
    const checkedIn: unknown = JSON.parse(readFileSync(join(REPO_ROOT, OPENAPI_FILE), 'utf8'));
    const described = Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => `${(operation as Json).operationId} ${method.toUpperCase()} ${path}`),
    );

    // Assess
    expect(checkedIn).toEqual(document);
    expect(described.sort()).toEqual(ROWS.map((r) => `${r.op} ${r.method} ${r.path}`).sort());
    expect(Object.keys(OPERATIONS)).toEqual(ROWS.map((r) => r.op));
  });

  it.each(rows)('%s: at its method and path, public only if the row needs no caller, with the action and success status of the row', (_op, row) => {
    // Act
    const operation = operationOf(row);

    // Assess
    expect(operation).toMatchObject({ operationId: row.op, summary: row.summary });
    expect(operation.security).toEqual(row.auth === 'none' ? [] : undefined);
    expect(operation['x-otpvault-action']).toBe(actionOf(row));
    expect(Object.keys(operation.responses)).toContain(String(row.successStatus));
    expect('401' in operation.responses).toBe(row.auth === 'required');
  });

  it.each(rows)('%s: path and query parameters are those of the row schema', (_op, row) => {
    // Prepare
    const { params, query } = partsOf(row);
    const templateNames = [...row.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);

    // Act
    const declared = (operationOf(row).parameters ?? []) as Json[];

    // Assess
    expect(Object.keys(schemaOf(params).properties ?? {}).sort()).toEqual(templateNames.sort());
    expect(declared).toEqual([...parametersOf(params, 'path'), ...parametersOf(query, 'query')]);
  });

  it.each(rows)('%s: the request body is the row schema, required and limited as the row says', (_op, row) => {
    // Act
    const operation = operationOf(row);

    // Assess
    if (row.body === 'none') {
      expect(operation.requestBody).toBeUndefined();
    } else {
      expect(operation.requestBody).toEqual({
        required: row.body === 'json',
        'x-otpvault-max-body-bytes': row.maxBodyBytes,
        content: { 'application/json': { schema: schemaOf(partsOf(row).body) } },
      });
    }
    expect('413' in operation.responses).toBe(row.body !== 'none');
  });

  it.each(rows)('%s: the typed client calls it as the row says', (_op, row) => {
    // Assess
    expect((OPERATIONS as Record<string, unknown>)[row.op]).toEqual({
      method: row.method,
      path: row.path,
      auth: row.auth,
      body: row.body,
      successStatus: row.successStatus,
    });
  });
});
