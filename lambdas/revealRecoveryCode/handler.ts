import { operation } from '../../shared/api/operation';
import { revealRecoveryCode } from '../../shared/api/routes/revealRecoveryCode';

export const handler = operation(revealRecoveryCode, async ({ deps, audit, secret }) => deps.recoveryCodes.reveal(secret, audit));
