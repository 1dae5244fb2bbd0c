import { operation } from '../../shared/api/operation';
import { revealRecoveryCode } from '../../shared/api/routes/revealRecoveryCode';
import { grantNote } from '../../shared/approvals/model';
import { recoveryCodes } from '../../shared/api/services/recoveryCodes';

export const handler = operation(revealRecoveryCode, async ({ deps, caller, audit, secret }) => ({
  ...(await recoveryCodes(deps).reveal(secret, audit)),
  ...grantNote(caller.grant),
}));
