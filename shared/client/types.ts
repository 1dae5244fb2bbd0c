/**
 * Types of the typed client, taken from the route table and the domain code with type-only imports:
 * nothing here exists at run time, so the client stays free of zod, the AWS SDK and Node modules.
 */
import type { z } from 'zod';
import type { BatchOtpItem } from '../access/batchOtp';
import type { MySecret } from '../access/mySecrets';
import type { Simulation } from '../access/simulation';
import type { AuditQueryAnswer } from '../audit/query/auditQueries';
import type { VerifyResult } from '../audit/archive/verifyArchive';
import type { routes } from '../api/routes';
import type { AccessRequestPage, AccessRequestView, GrantView } from '../approvals/model';
import type { PermissionSummary } from '../policy';
import type { PolicyRecord } from '../policy/store/policyRecord';
import type { PolicyDetail, PolicyView } from '../policy/store/PolicyAdmin';
import type { OtpAnswer } from '../secrets/OtpCodes';
import type { SecretView } from '../secrets/view';
import type { Template } from '../templates/model';
import type { OPERATIONS } from './operations';

/** A row of the route table (its type only: each row keeps its operation name literal). */
type Row = (typeof routes)[number];

/** An operation name (`operationId` in docs/openapi.json). */
export type Op = Row['op'] & keyof typeof OPERATIONS;

type RouteInput<O extends Op> = z.input<Extract<Row, { op: O }>['input']>;
type Omittable<T> = undefined extends T ? true : {} extends T ? true : false;

/** `{ params, query, body }` of an operation; parts that need nothing may be left out. */
export type CallInput<O extends Op> = {
  [K in keyof RouteInput<O> as Omittable<RouteInput<O>[K]> extends true ? never : K]: RouteInput<O>[K];
} & {
  [K in keyof RouteInput<O> as Omittable<RouteInput<O>[K]> extends true ? K : never]?: RouteInput<O>[K];
};

/** What `GET /v1/me` answers. */
export interface MeAnswer {
  principal: { id: string; kind: string; name: string };
  groups: string[];
  sourceIp: string | null;
  time: string;
  policySetVersion: number;
  globalActions: string[];
  permissions: PermissionSummary[];
}

/** What an answer handed out under an approved access request adds: which request, until when it holds. */
export type UnderGrant = { grant?: Omit<GrantView, 'action'> };

/** Answers of the operations whose shape the domain code declares; the others are plain JSON. */
export interface Responses {
  health: { status: string };
  getOpenApi: Record<string, unknown>;
  listTemplates: { items: Template[] };
  getTemplate: Template;
  createTemplate: Template;
  replaceTemplate: Template;
  deleteTemplate: undefined;
  createSecret: SecretView;
  listSecrets: { items: SecretView[]; nextCursor?: string };
  getSecret: SecretView;
  deleteSecret: undefined;
  overwriteSeed: SecretView;
  generateOtp: OtpAnswer & UnderGrant;
  generateOtps: { items: BatchOtpItem[] };
  revealRecoveryCode: { code: string; remaining: number } & UnderGrant;
  getMe: MeAnswer;
  listMySecrets: { items: MySecret[]; examined: number };
  listPolicies: { version: number; items: PolicyView[] };
  getPolicy: PolicyDetail;
  createPolicy: PolicyRecord;
  replacePolicy: PolicyRecord;
  deletePolicy: undefined;
  simulatePolicy: Simulation;
  queryAudit: AuditQueryAnswer;
  verifyAudit: VerifyResult;
  createAccessRequest: AccessRequestView;
  listAccessRequests: AccessRequestPage;
  getAccessRequest: AccessRequestView;
  approveAccessRequest: AccessRequestView;
  denyAccessRequest: AccessRequestView;
  withdrawAccessRequest: AccessRequestView;
  setAlertOnUse: { id: string; path: string; alertOnUse: boolean };
}

export type ResponseOf<O extends Op> = O extends keyof Responses ? Responses[O] : unknown;
