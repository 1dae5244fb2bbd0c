import * as z from 'zod';
import type { HttpMethod, RouteDefinition } from '../api/route';
import { routes } from '../api/routes';

/** One operation as the API description and the typed client see it: only public facts of a route row. */
export interface ApiOperation {
  op: string;
  method: HttpMethod;
  path: string;
  summary: string;
  /** Policy action checked (and audited); absent for operations any caller or nobody in particular may use. */
  action?: string;
  auth: 'required' | 'none';
  successStatus: number;
  body: 'json' | 'none' | 'optional';
  /** Largest accepted body in bytes (0 when the operation takes none). */
  maxBodyBytes: number;
  /** The parts of the row's input schema (each validates what the handler receives). */
  params: z.ZodType;
  query: z.ZodType;
  /** Absent when the operation takes no body. */
  requestBody?: z.ZodType;
}

/**
 * The one adapter from the route table to everything generated from it (OpenAPI document, client
 * operation table). Nothing else reads route rows for them: when the table's shape changes, re-point
 * this function.
 *
 * @param rows - The route table. @default routes
 * @example
 * const ops = apiOperations();
 */
export function apiOperations(rows: readonly RouteDefinition[] = routes): ApiOperation[] {
  return rows.map((row) => {
    const parts = inputParts(row);
    const action = checkedAction(row);
    return {
      op: row.op,
      method: row.method,
      path: row.path,
      summary: row.summary,
      ...(action !== undefined ? { action } : {}),
      auth: row.auth,
      successStatus: row.successStatus,
      body: row.body,
      maxBodyBytes: row.maxBodyBytes,
      params: parts.params,
      query: parts.query,
      ...(row.body !== 'none' ? { requestBody: parts.body } : {}),
    };
  });
}

/** The one policy action the row's `authorize` checks, if it names exactly one. */
function checkedAction(row: RouteDefinition): string | undefined {
  const a = row.authorize;
  if ('action' in a) return a.action;
  if (a.on === 'anywhere' && a.anyOf.length === 1) return a.anyOf[0];
  return undefined;
}

function inputParts(row: RouteDefinition): { params: z.ZodType; query: z.ZodType; body: z.ZodType } {
  if (!(row.input instanceof z.ZodObject)) throw new Error(`route ${row.op}: input must be z.object({ params, query, body })`);
  const { params, query, body } = row.input.shape as Record<string, z.ZodType | undefined>;
  if (!params || !query || !body) throw new Error(`route ${row.op}: input must have params, query and body`);
  return { params, query, body };
}
