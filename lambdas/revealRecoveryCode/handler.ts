import { operation } from '../../shared/api/operation';
import { revealRecoveryCode } from '../../shared/api/routes/revealRecoveryCode';
import { grantNote } from '../../shared/approvals/model';

export const handler = operation(revealRecoveryCode, async ({ deps, caller, audit, secret }) => ({
  ...(await deps.recoveryCodes.reveal(secret, audit)),
  ...grantNote(caller.grant),
}));
