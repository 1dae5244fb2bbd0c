import { createPolicy } from './createPolicy';
import { createSecret } from './createSecret';
import { createTemplate } from './createTemplate';
import { deletePolicy } from './deletePolicy';
import { deleteTemplate } from './deleteTemplate';
import { deleteSecret } from './deleteSecret';
import { exportAudit } from './exportAudit';
import { generateOtp } from './generateOtp';
import { generateOtps } from './generateOtps';
import { getMe } from './getMe';
import { getOpenApi } from './getOpenApi';
import { getPolicy } from './getPolicy';
import { getSecret } from './getSecret';
import { getTemplate } from './getTemplate';
import { health } from './health';
import { listMySecrets } from './listMySecrets';
import { listPolicies } from './listPolicies';
import { listSecrets } from './listSecrets';
import { listTemplates } from './listTemplates';
import { overwriteSeed } from './overwriteSeed';
import { queryAudit } from './queryAudit';
import { reconcileAudit } from './reconcileAudit';
import { replacePolicy } from './replacePolicy';
import { replaceRecoveryCodes } from './replaceRecoveryCodes';
import { replaceTemplate } from './replaceTemplate';
import { revealField } from './revealField';
import { revealRecoveryCode } from './revealRecoveryCode';
import { simulatePolicy } from './simulatePolicy';
import { verifyAudit } from './verifyAudit';
import { createAccessRequest } from './createAccessRequest';
import { listAccessRequests } from './listAccessRequests';
import { getAccessRequest } from './getAccessRequest';
import { approveAccessRequest } from './approveAccessRequest';
import { denyAccessRequest } from './denyAccessRequest';
import { withdrawAccessRequest } from './withdrawAccessRequest';
import { setAlertOnUse } from './setAlertOnUse';

/**
 * The route table: every operation, each declared once in its own file in this folder (method,
 * path, help, input, authorization, grants, sizing, bundle). The CDK stack makes one function,
 * route and grant set per row; the local runner mounts the same handlers from it. A handler
 * imports its own row, never this list, so its bundle holds only its own schema.
 */
export const routes = [
  health,
  getOpenApi,
  listTemplates,
  createTemplate,
  getTemplate,
  replaceTemplate,
  deleteTemplate,
  createSecret,
  listSecrets,
  getSecret,
  deleteSecret,
  overwriteSeed,
  generateOtp,
  generateOtps,
  replaceRecoveryCodes,
  revealRecoveryCode,
  revealField,
  getMe,
  listMySecrets,
  listPolicies,
  createPolicy,
  simulatePolicy,
  getPolicy,
  replacePolicy,
  deletePolicy,
  queryAudit,
  exportAudit,
  reconcileAudit,
  verifyAudit,
  createAccessRequest,
  listAccessRequests,
  getAccessRequest,
  approveAccessRequest,
  denyAccessRequest,
  withdrawAccessRequest,
  setAlertOnUse,
] as const;

/** Every operation's name: the web console keys its calls by it (`web/src/api.ts`). */
export type RouteOp = (typeof routes)[number]['op'];
