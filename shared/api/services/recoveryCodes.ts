import { RecoveryCodes } from '../../secrets/RecoveryCodes';
import { builtOnce, type Deps } from '../deps';

/** Recovery codes, revealed one at a time once audited. */
export const recoveryCodes = (deps: Deps): RecoveryCodes => builtOnce(deps, recoveryCodes, () => new RecoveryCodes(deps.secrets, deps.sealed));
