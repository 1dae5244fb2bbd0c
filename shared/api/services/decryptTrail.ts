import { CloudTrailDecrypts } from '../../audit/reconcile/CloudTrailDecrypts';
import type { DecryptTrail } from '../../audit/reconcile/decrypts';
import { createCloudTrailClient } from '../../aws/clients';
import { builtOnce, type Deps } from '../deps';

/** KMS Decrypts as CloudTrail recorded them, for audit reconciliation (the client is made on the first lookup). */
export const decryptTrail = (deps: Deps): DecryptTrail =>
  builtOnce(deps, decryptTrail, () => new CloudTrailDecrypts(() => createCloudTrailClient(deps.config)));
