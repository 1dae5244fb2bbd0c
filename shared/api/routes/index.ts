import { createPolicy } from './createPolicy';
import { createSecret } from './createSecret';
import { createTemplate } from './createTemplate';
import { deletePolicy } from './deletePolicy';
import { deleteSecret } from './deleteSecret';
import { exportAudit } from './exportAudit';
import { generateOtp } from './generateOtp';
import { getMe } from './getMe';
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
import { revealField } from './revealField';
import { revealRecoveryCode } from './revealRecoveryCode';
import { simulatePolicy } from './simulatePolicy';
import { verifyAudit } from './verifyAudit';

/**
 * The route table: every operation, each declared once in its own file in this folder (method,
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
] as const;
