import { z } from 'zod';
import { SeedInputSchema } from '../seed';
import { CreateTemplateSchema, TEMPLATE_ID } from '../templates/model';
import { CreateSecretBody, GenerateOtpBody, RecoveryCodesBody, SECRET_LIMITS, SecretIdSchema, SecretPathSchema } from '../secrets/schema';
import { route } from './route';

/**
 * The route table: the one place that says which operations exist. The CDK stack makes one
 * function, route and grant set per row; the local runner mounts the same handlers from it.
 */

/** Bodies of ordinary JSON requests. */
const SMALL_BODY = 64 * 1024;
/** Seed bodies may carry a picture: Lambda takes at most 6 MB per synchronous invocation. */
const SEED_BODY = 6_000_000;

const none = z.object({}).strict();
const secretParams = z.object({ secretId: SecretIdSchema }).strict();
const input = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(params: P, query: Q, body: B) =>
  z.object({ params, query, body });

export const routes = [
  route({
    op: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Liveness check; needs no token',
    input: input(none, z.object({}), z.undefined()),
    auth: 'none',
    successStatus: 200,
    body: 'none',
    maxBodyBytes: 0,
    access: {},
  }),
  route({
    op: 'listTemplates',
    method: 'GET',
    path: '/v1/templates',
    summary: 'List predefined and custom secret templates',
    action: 'secret:read',
    input: input(none, z.object({}), z.undefined()),
    auth: 'required',
    successStatus: 200,
    body: 'none',
    maxBodyBytes: 0,
    access: { vault: 'read' },
  }),
  route({
    op: 'createTemplate',
    method: 'POST',
    path: '/v1/templates',
    summary: 'Create a custom secret template',
    action: 'template:manage',
    input: input(none, z.object({}), CreateTemplateSchema),
    auth: 'required',
    successStatus: 201,
    body: 'json',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write' },
  }),
  route({
    op: 'getTemplate',
    method: 'GET',
    path: '/v1/templates/{templateId}',
    summary: 'Show one template',
    action: 'secret:read',
    input: input(z.object({ templateId: z.string().regex(TEMPLATE_ID, 'not a template id') }).strict(), z.object({}), z.undefined()),
    auth: 'required',
    successStatus: 200,
    body: 'none',
    maxBodyBytes: 0,
    access: { vault: 'read' },
  }),
  route({
    op: 'createSecret',
    method: 'POST',
    path: '/v1/secrets',
    summary: 'Create a secret from a template; sensitive fields are encrypted with KMS',
    action: 'secret:write',
    input: input(none, z.object({}), CreateSecretBody),
    auth: 'required',
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
    summary: 'List secrets (metadata only), by path prefix or exact path',
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
    auth: 'required',
    successStatus: 200,
    body: 'none',
    maxBodyBytes: 0,
    access: { vault: 'read' },
  }),
  route({
    op: 'getSecret',
    method: 'GET',
    path: '/v1/secrets/{secretId}',
    summary: 'Show a secret\'s metadata and non-sensitive fields (never a seed)',
    action: 'secret:read',
    input: input(secretParams, z.object({}), z.undefined()),
    auth: 'required',
    successStatus: 200,
    body: 'none',
    maxBodyBytes: 0,
    access: { vault: 'read' },
  }),
  route({
    op: 'deleteSecret',
    method: 'DELETE',
    path: '/v1/secrets/{secretId}',
    summary: 'Delete a secret with its seed and recovery codes',
    action: 'secret:write',
    input: input(secretParams, z.object({}), z.undefined()),
    auth: 'required',
    successStatus: 204,
    body: 'none',
    maxBodyBytes: 0,
    access: { vault: 'write' },
  }),
  route({
    op: 'overwriteSeed',
    method: 'PUT',
    path: '/v1/secrets/{secretId}/otp-seed',
    summary: 'Overwrite the OTP seed (QR picture, otpauth:// URI or setup key)',
    action: 'seed:overwrite',
    input: input(secretParams, z.object({}), SeedInputSchema),
    auth: 'required',
    successStatus: 200,
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
    auth: 'required',
    successStatus: 200,
    body: 'optional',
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
    auth: 'required',
    successStatus: 200,
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
    auth: 'required',
    successStatus: 200,
    body: 'optional',
    maxBodyBytes: SMALL_BODY,
    access: { vault: 'write', kms: ['Decrypt'] },
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
