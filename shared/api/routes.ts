import { createPolicy } from './routes/createPolicy';
import { createSecret } from './routes/createSecret';
import { createTemplate } from './routes/createTemplate';
import { deletePolicy } from './routes/deletePolicy';
import { deleteSecret } from './routes/deleteSecret';
import { exportAudit } from './routes/exportAudit';
import { generateOtp } from './routes/generateOtp';
import { getMe } from './routes/getMe';
import { getPolicy } from './routes/getPolicy';
import { getSecret } from './routes/getSecret';
import { getTemplate } from './routes/getTemplate';
import { health } from './routes/health';
import { listMySecrets } from './routes/listMySecrets';
import { listPolicies } from './routes/listPolicies';
import { listSecrets } from './routes/listSecrets';
import { listTemplates } from './routes/listTemplates';
import { overwriteSeed } from './routes/overwriteSeed';
import { queryAudit } from './routes/queryAudit';
import { reconcileAudit } from './routes/reconcileAudit';
import { replacePolicy } from './routes/replacePolicy';
import { replaceRecoveryCodes } from './routes/replaceRecoveryCodes';
import { revealField } from './routes/revealField';
import { revealRecoveryCode } from './routes/revealRecoveryCode';
import { simulatePolicy } from './routes/simulatePolicy';
import { verifyAudit } from './routes/verifyAudit';
import { createAccessRequest } from './routes/createAccessRequest';
import { listAccessRequests } from './routes/listAccessRequests';
import { getAccessRequest } from './routes/getAccessRequest';
import { approveAccessRequest } from './routes/approveAccessRequest';
import { denyAccessRequest } from './routes/denyAccessRequest';
import { withdrawAccessRequest } from './routes/withdrawAccessRequest';
import { setAlertOnUse } from './routes/setAlertOnUse';

/**
 * The route table: every operation, each declared once in its own file under `routes/` (method,
 * path, help, input, authorization, grants, sizing, bundle). The CDK stack makes one function,
 * route and grant set per row; the local runner mounts the same handlers from it. A handler
 * imports its own row, never this list, so its bundle holds only its own schema.
 */
export const routes = [
  health,
  listTemplates,
  createTemplate,
  getTemplate,
  createSecret,
  listSecrets,
  getSecret,
  deleteSecret,
  overwriteSeed,
  generateOtp,
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

export type Routes = typeof routes;
export type RouteOp = Routes[number]['op'];
