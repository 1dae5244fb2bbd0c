import { CodeHandouts } from '../../secrets/CodeHandouts';
import { OtpCodes } from '../../secrets/OtpCodes';
import { builtOnce, type Deps } from '../deps';

/** One-time codes, audited before they are returned, with who had each TOTP code first (the reuse warning). */
export const otpCodes = (deps: Deps): OtpCodes =>
  builtOnce(deps, otpCodes, () => new OtpCodes(deps.secrets, deps.sealed, deps.clock, new CodeHandouts(deps.db, deps.config.tables.vault)));
