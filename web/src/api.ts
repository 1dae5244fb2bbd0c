/**
 * Every call the console makes to the otpvault API, and nothing else does: pages import the named
 * functions below. Requests are typed from the route table (`z.input` of each row's schema) and
 * answers from the domain's view types; methods and paths come from the same rows at build time
 * (`otpvault:routes`). Only types are imported from `shared/`, so no zod reaches the bundle.
 * When the shared typed client lands, this module is the one place to re-point.
 */
import type { z } from 'zod';
import routeTable from 'otpvault:routes';
import type { RouteOp, routes } from '../../shared/api/routes';
import type { MySecret } from '../../shared/access/mySecrets';
import type { Simulation } from '../../shared/access/simulation';
import type { AccessRequestView, GrantView } from '../../shared/approvals/model';
import type { AuditEvent } from '../../shared/audit/event';
import type { AuditQueryAnswer } from '../../shared/audit/query/auditQueries';
import type { OtpAnswer } from '../../shared/secrets/OtpCodes';
import type { FieldView, SecretView } from '../../shared/secrets/view';
import type { PermissionSummary } from '../../shared/policy/types';
import type { PolicyView } from '../../shared/policy/store/PolicyAdmin';
import type { Template, TemplateField } from '../../shared/templates/model';

export type { AccessRequestView, AuditEvent, FieldView, GrantView, MySecret, OtpAnswer, PolicyView, SecretView, Simulation, Template, TemplateField };

/** What a route accepts before validation (defaults optional), split into its parts. */
type RouteInput<Op extends RouteOp> = z.input<Extract<(typeof routes)[number], { op: Op }>['input']>;
type Params<Op extends RouteOp> = NonNullable<RouteInput<Op>['params']>;
type Query<Op extends RouteOp> = NonNullable<RouteInput<Op>['query']>;
type Body<Op extends RouteOp> = NonNullable<RouteInput<Op>['body']>;

export type CreateSecretInput = Body<'createSecret'>;
export type SeedInput = Body<'overwriteSeed'>;
export type AuditQuery = Query<'queryAudit'>;
export type AuditExportQuery = Query<'exportAudit'>;
export type PolicyDocumentInput = Body<'createPolicy'>;
export type SimulationInput = Body<'simulatePolicy'>;
export type TemplateInput = Body<'createTemplate'>;
export type AccessRequestInput = Body<'createAccessRequest'>;
export type AccessRequestQuery = Query<'listAccessRequests'>;

/** A `/v1/me/secrets` entry: `granted` lists the approved grants the caller holds now (gated secrets only). */
export type MySecretEntry = MySecret & { granted?: GrantView[] };

/** An answer other than 2xx, with the field each problem names (`path`, `fields.otpSeed`...). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Problem messages by field, without the `body.` prefix the validator puts on them. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for a field or any of its sub-fields (`fields.otpSeed` for `fields.otpSeed.uri`). */
  forField(name: string): string | undefined {
    const hits = Object.entries(this.fields).filter(([field]) => field === name || field.startsWith(`${name}.`));
    return hits.length > 0 ? hits.map(([, message]) => message).join('; ') : undefined;
  }
}

interface Connection {
  baseUrl: string;
  token: () => Promise<string | undefined>;
  /** Called on 401: the session is gone (expired or signed out elsewhere). */
  onUnauthenticated: () => void;
}

let connection: Connection = { baseUrl: '', token: async () => undefined, onUnauthenticated: () => undefined };

/** Points the module at an API and a token source (done once at start-up). */
export function connect(next: Connection): void {
  connection = { ...next, baseUrl: next.baseUrl.replace(/\/$/, '') };
}

interface CallParts {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

async function send<Op extends RouteOp>(op: Op, parts: CallParts): Promise<Response> {
  const { method, path } = routeTable[op];
  const url = path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => encodeURIComponent(parts.params?.[name] ?? ''));
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(parts.query ?? {})) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = await connection.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (parts.body !== undefined) headers['content-type'] = 'application/json';
  // Not `query.size`: Safari 16 lacks it.
  const search = query.toString();
  const response = await fetch(`${connection.baseUrl}${url}${search ? `?${search}` : ''}`, {
    method,
    headers,
    body: parts.body === undefined ? undefined : JSON.stringify(parts.body),
    signal: parts.signal,
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  });
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function call<Op extends RouteOp, Answer>(op: Op, parts: CallParts = {}): Promise<Answer> {
  const response = await send(op, parts);
  return (response.status === 204 ? undefined : await response.json()) as Answer;
}

async function errorOf(response: Response): Promise<ApiError> {
  if (response.status === 401) connection.onUnauthenticated();
  let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> }; message?: string } = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const error = body.error ?? { code: response.statusText, message: body.message ?? `the server answered ${response.status}` };
  const fields: Record<string, string> = {};
  const details = error.details ?? {};
  if (Array.isArray(details.problems)) {
    for (const problem of details.problems as { field?: unknown; message?: unknown }[]) {
      if (typeof problem.field !== 'string' || typeof problem.message !== 'string') continue;
      const field = problem.field.replace(/^(body|query|params)\.?/, '') || '(input)';
      fields[field] = fields[field] ? `${fields[field]}; ${problem.message}` : problem.message;
    }
  }
  if (typeof details.field === 'string') fields[details.field] = error.message ?? '';
  return new ApiError(response.status, error.code ?? 'Error', error.message ?? `the server answered ${response.status}`, fields);
}

// --- The caller -------------------------------------------------------------------------------

export interface Me {
  principal: { id: string; kind: string; name: string };
  groups: string[];
  sourceIp: string | null;
  time: string;
  policySetVersion: number;
  globalActions: string[];
  permissions: PermissionSummary[];
}

export const getMe = () => call<'getMe', Me>('getMe');
export const listMySecrets = (query: Query<'listMySecrets'> = {}) =>
  call<'listMySecrets', { items: MySecretEntry[] }>('listMySecrets', { query });

// --- Secrets ----------------------------------------------------------------------------------

export const getSecret = (secretId: Params<'getSecret'>['secretId']) => call<'getSecret', SecretView>('getSecret', { params: { secretId } });
export const createSecret = (body: CreateSecretInput) => call<'createSecret', SecretView>('createSecret', { body });
export const deleteSecret = (secretId: string) => call<'deleteSecret', void>('deleteSecret', { params: { secretId } });
export const overwriteSeed = (secretId: string, body: SeedInput) => call<'overwriteSeed', SecretView>('overwriteSeed', { params: { secretId }, body });
export const generateOtp = (secretId: string, body: Body<'generateOtp'> = {}, signal?: AbortSignal) =>
  call<'generateOtp', OtpAnswer>('generateOtp', { params: { secretId }, body, signal });
export const replaceRecoveryCodes = (secretId: string, body: Body<'replaceRecoveryCodes'>) =>
  call<'replaceRecoveryCodes', SecretView>('replaceRecoveryCodes', { params: { secretId }, body });
export const revealRecoveryCode = (secretId: string) =>
  call<'revealRecoveryCode', { code: string; remaining: number }>('revealRecoveryCode', { params: { secretId }, body: {} });
export const revealField = (secretId: string, field: string) =>
  call<'revealField', { field: string; value: string }>('revealField', { params: { secretId, field }, body: {} });

// --- Access requests (just-in-time access) ------------------------------------------------

export const createAccessRequest = (body: AccessRequestInput) => call<'createAccessRequest', AccessRequestView>('createAccessRequest', { body });
export const listAccessRequests = (query: AccessRequestQuery = {}) =>
  call<'listAccessRequests', { items: AccessRequestView[]; nextCursor?: string }>('listAccessRequests', { query: query as CallParts['query'] });

/** Pages one view follows at most: each reads up to a thousand requests on the server. */
const ACCESS_REQUEST_PAGES = 20;

/**
 * Access requests across pages, newest first. A page is filtered after the server's bounded read, so
 * it may be short, even empty, with more behind it: follows `nextCursor` until `max` are found, `enough`
 * says so, or the pages run out. `more`: some were left unread.
 */
export async function collectAccessRequests(
  query: AccessRequestQuery,
  max: number,
  enough: (items: AccessRequestView[]) => boolean = () => false,
): Promise<{ items: AccessRequestView[]; more: boolean }> {
  const items: AccessRequestView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < ACCESS_REQUEST_PAGES; page++) {
    const answer = await listAccessRequests({ ...query, limit: String(Math.min(100, max - items.length)), ...(cursor ? { cursor } : {}) });
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor || items.length >= max || enough(items)) break;
  }
  return { items, more: cursor !== undefined };
}
export const approveAccessRequest = (requestId: Params<'approveAccessRequest'>['requestId'], comment?: string) =>
  call<'approveAccessRequest', AccessRequestView>('approveAccessRequest', { params: { requestId }, body: comment ? { comment } : {} });
export const denyAccessRequest = (requestId: Params<'denyAccessRequest'>['requestId'], comment?: string) =>
  call<'denyAccessRequest', AccessRequestView>('denyAccessRequest', { params: { requestId }, body: comment ? { comment } : {} });
export const withdrawAccessRequest = (requestId: Params<'withdrawAccessRequest'>['requestId']) =>
  call<'withdrawAccessRequest', AccessRequestView>('withdrawAccessRequest', { params: { requestId } });

// --- Templates --------------------------------------------------------------------------------

export const listTemplates = () => call<'listTemplates', { items: Template[] }>('listTemplates');
export const createTemplate = (body: TemplateInput) => call<'createTemplate', Template>('createTemplate', { body });
/** Replaces a custom template's name, description and fields (`PUT`), only at `version` when given. */
export const replaceTemplate = (templateId: string, body: Body<'replaceTemplate'>, version?: number) =>
  call<'replaceTemplate', Template>('replaceTemplate', { params: { templateId }, query: { version }, body });
/** Retires a custom template (`DELETE`): it leaves the list and makes no new secret; its secrets keep working. */
export const retireTemplate = (templateId: string, version?: number) =>
  call<'deleteTemplate', void>('deleteTemplate', { params: { templateId }, query: { version } });

// --- Policies ---------------------------------------------------------------------------------

export const listPolicies = () => call<'listPolicies', { version: number; items: PolicyView[] }>('listPolicies');
export const createPolicy = (body: PolicyDocumentInput) => call<'createPolicy', PolicyView>('createPolicy', { body });
export const replacePolicy = (policyId: string, body: PolicyDocumentInput, version?: number) =>
  call<'replacePolicy', PolicyView>('replacePolicy', { params: { policyId }, query: { version }, body });
export const deletePolicy = (policyId: string, version?: number) =>
  call<'deletePolicy', void>('deletePolicy', { params: { policyId }, query: { version } });
export const simulatePolicy = (body: SimulationInput) => call<'simulatePolicy', Simulation>('simulatePolicy', { body });

// --- Audit ------------------------------------------------------------------------------------

export const queryAudit = (query: AuditQuery, signal?: AbortSignal) =>
  call<'queryAudit', AuditQueryAnswer>('queryAudit', { query: query as CallParts['query'], signal });

/** The export as a file (CSV or JSON Lines) with the name the server gives it. */
export async function exportAudit(query: AuditExportQuery): Promise<{ blob: Blob; filename: string }> {
  const response = await send('exportAudit', { query: query as CallParts['query'] });
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `otpvault-audit.${query.format === 'jsonl' ? 'jsonl' : 'csv'}`;
  return { blob: await response.blob(), filename };
}
