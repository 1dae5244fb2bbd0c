import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { routes } from '../../../shared/api/routes';
import { openApiDocument } from '../../../shared/openapi/document';
import { generatedFiles } from '../../../shared/openapi/generated';
import { apiOperations } from '../../../shared/openapi/operations';

const ROOT = new URL('../../../', import.meta.url);

type Json = Record<string, any>;

/** The `{name}` segments of a path template. */
const pathParameterNames = (path: string): string[] => [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);

describe('the generated files', () => {
  it.each(generatedFiles().map((f) => [f.path, f.content] as const))('%s matches the route table (else run npm run openapi)', (path, content) => {
    // Act
    const checkedIn = readFileSync(fileURLToPath(new URL(path, ROOT)), 'utf8');

    // Assess
    expect(checkedIn).toBe(content);
  });
});

describe('the OpenAPI document', () => {
  const document = openApiDocument() as Json;
  const operations = Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation: operation as Json })),
  );

  it('describes every route once, by operation id, method and path', () => {
    // Assess
    expect(operations.map((o) => `${o.operation.operationId} ${o.method} ${o.path}`).sort()).toEqual(routes.map((r) => `${r.op} ${r.method} ${r.path}`).sort());
  });

  it('declares each path parameter of the template, required, with its description', () => {
    for (const { path, operation } of operations) {
      const declared = ((operation.parameters ?? []) as Json[]).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort()).toEqual(pathParameterNames(path).sort());
      for (const parameter of declared) {
        expect(parameter).toMatchObject({ required: true, description: expect.any(String) });
      }
    }
  });

  it('leaves only the public routes without security, and names both schemes', () => {
    // Assess
    const open = operations.filter((o) => Array.isArray(o.operation.security) && o.operation.security.length === 0).map((o) => o.operation.operationId);
    expect(open.sort()).toEqual(routes.filter((r) => r.auth === 'none').map((r) => r.op).sort());
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearer', 'sigv4']);
    expect(document.security).toEqual([{ bearer: [] }, { sigv4: [] }]);
  });

  it('gives the request body of each route that takes one, as JSON Schema from its zod schema', () => {
    // Prepare
    const generateOtp = operations.find((o) => o.operation.operationId === 'generateOtp')!.operation;
    const createSecret = operations.find((o) => o.operation.operationId === 'createSecret')!.operation;

    // Assess
    expect(generateOtp.requestBody.required).toBe(false);
    expect(generateOtp.requestBody.content['application/json'].schema.properties.minValidSeconds).toMatchObject({ type: 'integer', description: expect.any(String) });
    expect(createSecret.requestBody.required).toBe(true);
    expect(createSecret.requestBody.content['application/json'].schema.required).toEqual(['path', 'template']);
    for (const { operation } of operations) {
      const route = routes.find((r) => r.op === operation.operationId)!;
      expect(operation.requestBody !== undefined).toBe(route.body !== 'none');
    }
  });

  it('describes every parameter and every property of every schema', () => {
    // Prepare
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${where}[${i}]`));
      if (typeof node !== 'object' || node === null) return;
      const object = node as Json;
      for (const [name, property] of Object.entries((object.properties ?? {}) as Json)) {
        if (typeof property.description !== 'string') undescribed.push(`${where}.${name}`);
      }
      if (object.in !== undefined && typeof object.description !== 'string') undescribed.push(`${where} parameter ${object.name}`);
      for (const [key, value] of Object.entries(object)) walk(value, `${where}/${key}`);
    };

    // Act
    walk(document, '');

    // Assess
    expect(undescribed).toEqual([]);
  });

  it('refers every error status to the one error shape', () => {
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        if (Number(status) >= 400) expect(response.$ref).toBe(`#/components/responses/Error${status}`);
        if (Number(status) >= 400) expect(document.components.responses[`Error${status}`]).toBeDefined();
      }
    }
    expect(document.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
  });

  it('follows a change of a row: the adapter is the only reader of the route table', () => {
    // Prepare
    const [first] = apiOperations();
    const changed = { ...first!, op: 'renamed', query: z.object({ extra: z.string().describe('new') }) };

    // Act
    const item = (openApiDocument([changed]) as Json).paths[first!.path].get;

    // Assess
    expect(item.operationId).toBe('renamed');
    expect(item.parameters).toEqual([{ name: 'extra', in: 'query', required: true, description: 'new', schema: { type: 'string' } }]);
  });
});
