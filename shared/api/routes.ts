import { z } from 'zod';
import { AUDIT_EXPORT_LIMITS, AuditExportParams, AuditQueryParams } from '../audit/query';
import { RECONCILE_LIMITS, ReconcileParams } from '../audit/reconcile';
// The schema alone: the archive's index would pull the S3 client into every function's bundle.
import { VERIFY_LIMITS, VerifyArchiveParams } from '../audit/archive/verifySchema';
import { BATCH_OTP_LIMITS, GenerateOtpsBody } from '../access/batchOtpSchema';
import { SimulationSchema } from '../access/simulation';
import { PolicyDocumentSchema } from '../policy';
import { POLICY_ID } from '../policy/store/policyRecord';
import { SeedInputSchema } from '../seed';
import { CreateTemplateSchema, FIELD_NAME, TEMPLATE_ID } from '../templates/model';
import { CreateSecretBody, GenerateOtpBody, RecoveryCodesBody, SECRET_LIMITS, SecretIdSchema, SecretPathSchema } from '../secrets/schema';
import { route } from './route';

/**
 * The route table: the one place that says which operations exist. The CDK stack makes one
 * function, route and grant set per row; the local runner mounts the same handlers from it.
 * Rows leave out what is the default (`route()`): authenticated, no request body, 200.
 */

/** Bodies of ordinary JSON requests. */
const SMALL_BODY = 64 * 1024;
/** Seed bodies may carry a picture: Lambda takes at most 6 MB per synchronous invocation. */
const SEED_BODY = 6_000_000;

const none = z.object({}).strict();
const secretParams = z.object({ secretId: SecretIdSchema }).strict();
const policyParams = z.object({ policyId: z.string().regex(POLICY_ID, 'not a policy id').describe('Policy id, e.g. pol-01j… or builtin-admins') }).strict();
const expectedVersion = z
  .object({
    version: z.coerce.number().int().min(1).optional().describe('Apply only if the policy is still at this version (else 409)'),
  })
  .strict();
const input = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(params: P, query: Q, body: B) =>
  z.object({ params, query, body });
const noInput = input(none, z.object({}), z.undefined());
const secretOnly = input(secretParams, z.object({}), z.undefined());
const policyOnly = input(policyParams, z.object({}), z.undefined());

export const routes = [
  route({
    op: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Liveness check; needs no token',
    input: noInput,
    auth: 'none',
    access: {},
  }),
  route({
    op: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This API\'s OpenAPI 3.1 description, generated from the route table; needs no token',
    input: noInput,
    auth: 'none',
    access: {},
  }),
  route({
    op: 'listTemplates',
    method: 'GET',
    path: '/v1/templates',
    summary: 'List predefined and custom secret templates; for callers allowed secret:write somewhere or template:manage',
    input: noInput,
    access: { vault: 'read' },
  }),
  route({
    op: 'createTemplate',
    method: 'POST',
    path: '/v1/templates',
    summary: 'Create a custom secret template',
    action: 'template:manage',
    input: input(none, z.object({}), CreateTemplateSchema),
    successStatus: 201,
    body: 'json',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write' },
  }),
  route({
    op: 'getTemplate',
    method: 'GET',
    path: '/v1/templates/{templateId}',
    summary: 'Show one template; for callers allowed secret:write somewhere or template:manage',
    input: input(z.object({ templateId: z.string().regex(TEMPLATE_ID, 'not a template id').describe('Template id, e.g. webapp-otp') }).strict(), z.object({}), z.undefined()),
    access: { vault: 'read' },
  }),
  route({
    op: 'createSecret',
    method: 'POST',
    path: '/v1/secrets',
    summary: 'Create a secret from a template; sensitive fields are encrypted with KMS',
    action: 'secret:write',
    input: input(none, z.object({}), CreateSecretBody),
    successStatus: 201,
    body: 'json',
    maxBodyBytes: SEED_BODY,
    access: { vault: 'write', kms: ['Encrypt'] },
    memoryMb: 1769,
    timeoutSeconds: 29,
  }),
  route({
    op: 'listSecrets',
    method: 'GET',
    path: '/v1/secrets',
    summary: 'List the secrets the caller may secret:read (metadata only), by path prefix or exact path; a page may hold fewer than limit items while nextCursor is present',
    action: 'secret:read',
    input: input(
      none,
      z
        .object({
          prefix: z.string().max(SECRET_LIMITS.maxPathLength).regex(/^\//, 'prefix starts with "/"').optional().describe('Only paths starting with this'),
          path: SecretPathSchema.optional(),
          limit: z.coerce.number().int().min(1).max(SECRET_LIMITS.listMaxLimit).default(SECRET_LIMITS.listDefaultLimit).describe('Page size'),
          cursor: z.string().max(2048).optional().describe('Opaque cursor from the previous page'),
        })
        .strict(),
      z.undefined(),
    ),
    access: { vault: 'read' },
  }),
  route({
    op: 'getSecret',
    method: 'GET',
    path: '/v1/secrets/{secretId}',
    summary: 'Show a secret\'s metadata and non-sensitive fields (never a seed)',
    action: 'secret:read',
    input: secretOnly,
    access: { vault: 'read' },
  }),
  route({
    op: 'deleteSecret',
    method: 'DELETE',
    path: '/v1/secrets/{secretId}',
    summary: 'Delete a secret with its seed and recovery codes',
    action: 'secret:write',
    input: secretOnly,
    successStatus: 204,
    access: { vault: 'write' },
  }),
  route({
    op: 'overwriteSeed',
    method: 'PUT',
    path: '/v1/secrets/{secretId}/otp-seed',
    summary: 'Overwrite the OTP seed (QR picture, otpauth:// URI or setup key)',
    action: 'seed:overwrite',
    input: input(secretParams, z.object({}), SeedInputSchema),
    body: 'json',
    maxBodyBytes: SEED_BODY,
    access: { vault: 'write', kms: ['Encrypt'] },
    memoryMb: 1769,
    timeoutSeconds: 29,
  }),
  route({
    op: 'generateOtp',
    method: 'POST',
    path: '/v1/secrets/{secretId}/otp',
    summary: 'Generate the current one-time code (audited before it is returned)',
    action: 'otp:generate',
    input: input(secretParams, z.object({}), GenerateOtpBody),
    body: 'optional',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write', kms: ['Decrypt'] },
    timeoutSeconds: 29,
  }),
  route({
    op: 'generateOtps',
    method: 'POST',
    path: '/v1/otp',
    summary: `Current codes of every secret under a path prefix the caller may otp:generate (at most ${BATCH_OTP_LIMITS.maxSecrets}), in one request; each code is audited before it is returned`,
    action: 'otp:generate',
    input: input(none, z.object({}), GenerateOtpsBody),
    body: 'json',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write', kms: ['Decrypt'] },
    timeoutSeconds: 29,
  }),
  route({
    op: 'replaceRecoveryCodes',
    method: 'PUT',
    path: '/v1/secrets/{secretId}/recovery-codes',
    summary: 'Replace the set of recovery codes',
    action: 'secret:write',
    input: input(secretParams, z.object({}), RecoveryCodesBody),
    body: 'json',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write', kms: ['Encrypt'] },
  }),
  route({
    op: 'revealRecoveryCode',
    method: 'POST',
    path: '/v1/secrets/{secretId}/recovery-codes/reveal',
    summary: 'Hand out one unused recovery code and mark it used',
    action: 'recovery:reveal',
    input: input(secretParams, z.object({}), z.object({}).strict().optional()),
    body: 'optional',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write', kms: ['Decrypt'] },
  }),
  route({
    op: 'revealField',
    method: 'POST',
    path: '/v1/secrets/{secretId}/fields/{field}/reveal',
    summary: 'Reveal one sensitive field (a password, never a seed or recovery code), audited before it is decrypted',
    action: 'secret:reveal',
    input: input(
      z.object({ secretId: SecretIdSchema, field: z.string().regex(FIELD_NAME, 'not a field name').describe('Field name, e.g. password') }).strict(),
      z.object({}),
      z.object({}).strict().optional(),
    ),
    body: 'optional',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'read', kms: ['Decrypt'] },
  }),
  route({
    op: 'getMe',
    method: 'GET',
    path: '/v1/me',
    summary: 'The caller: principal, groups and effective permissions now; any authenticated caller',
    input: noInput,
    access: { vault: 'read' },
  }),
  route({
    op: 'listMySecrets',
    method: 'GET',
    path: '/v1/me/secrets',
    summary: 'Every secret the caller may use, with the actions allowed on each (ids and paths only); any authenticated caller',
    input: input(
      none,
      z
        .object({
          prefix: z.string().max(SECRET_LIMITS.maxPathLength).regex(/^\//, 'prefix starts with "/"').optional().describe('Only paths starting with this'),
        })
        .strict(),
      z.undefined(),
    ),
    access: { vault: 'read' },
  }),
  route({
    op: 'listPolicies',
    method: 'GET',
    path: '/v1/policies',
    summary: 'List access policies, built-in ones first',
    action: 'policy:manage',
    input: noInput,
    access: { vault: 'read' },
  }),
  route({
    op: 'createPolicy',
    method: 'POST',
    path: '/v1/policies',
    summary: 'Create an access policy (refused if it would leave nobody able to manage policies)',
    action: 'policy:manage',
    input: input(none, z.object({}), PolicyDocumentSchema),
    successStatus: 201,
    body: 'json',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write' },
  }),
  route({
    op: 'simulatePolicy',
    method: 'POST',
    path: '/v1/policies/simulate',
    summary: 'What the policies would decide for a caller, action, path, source IP and time, and why each policy naming the caller did or did not apply',
    action: 'policy:manage',
    input: input(none, z.object({}), SimulationSchema),
    body: 'json',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'read' },
  }),
  route({
    op: 'getPolicy',
    method: 'GET',
    path: '/v1/policies/{policyId}',
    summary: 'Show one access policy',
    action: 'policy:manage',
    input: policyOnly,
    access: { vault: 'read' },
  }),
  route({
    op: 'replacePolicy',
    method: 'PUT',
    path: '/v1/policies/{policyId}',
    summary: 'Replace an access policy (built-ins cannot be changed; refused if it would leave nobody able to manage policies)',
    action: 'policy:manage',
    input: input(policyParams, expectedVersion, PolicyDocumentSchema),
    body: 'json',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write' },
  }),
  route({
    op: 'deletePolicy',
    method: 'DELETE',
    path: '/v1/policies/{policyId}',
    summary: 'Delete an access policy (built-ins cannot be deleted; refused if it would leave nobody able to manage policies)',
    action: 'policy:manage',
    input: input(policyParams, expectedVersion, z.undefined()),
    successStatus: 204,
    access: { vault: 'write' },
  }),
  route({
    op: 'queryAudit',
    method: 'GET',
    path: '/v1/audit',
    summary: 'Audit events newest first, by actor, secret, path or time range, with action/result filters, paginated',
    action: 'audit:read',
    input: input(none, AuditQueryParams, z.undefined()),
    access: { audit: 'read' },
  }),
  route({
    op: 'exportAudit',
    method: 'GET',
    path: '/v1/audit/export',
    summary: `Every audit event of a range as one CSV or JSON Lines file (at most ${AUDIT_EXPORT_LIMITS.maxRows} events)`,
    action: 'audit:read',
    input: input(none, AuditExportParams, z.undefined()),
    access: { audit: 'read' },
    memoryMb: 1024,
    timeoutSeconds: 29,
  }),
  route({
    op: 'reconcileAudit',
    method: 'GET',
    path: '/v1/audit/reconcile',
    summary: `KMS Decrypts of secrets (CloudTrail) that no audit event explains; in AWS, end the window ${RECONCILE_LIMITS.trailDelayMinutes} min ago or more`,
    action: 'audit:read',
    input: input(none, ReconcileParams, z.undefined()),
    access: { audit: 'read', cloudTrail: ['LookupEvents'] },
    timeoutSeconds: 29,
  }),
  route({
    op: 'verifyAudit',
    method: 'GET',
    path: '/v1/audit/verify',
    summary: `Check the audit archive's signed digest chain and objects for days (at most ${VERIFY_LIMITS.maxDays} per call)`,
    action: 'audit:read',
    input: input(none, VerifyArchiveParams, z.undefined()),
    access: { audit: 'read', archive: 'verify' },
    memoryMb: 1024,
    timeoutSeconds: 29,
  }),
] as const;

export type Routes = typeof routes;
export type RouteOp = Routes[number]['op'];
export type RouteFor<Op extends RouteOp> = Extract<Routes[number], { op: Op }>;

export function routeFor<Op extends RouteOp>(op: Op): RouteFor<Op> {
  const found = routes.find((r) => r.op === op);
  if (!found) throw new Error(`no route for operation ${op}`);
  return found as RouteFor<Op>;
}
