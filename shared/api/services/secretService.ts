import { SecretService } from '../../secrets/SecretService';
import { builtOnce, type Deps } from '../deps';
import { templateService } from './templates';

/** Creating, showing, deleting secrets and replacing their seed or recovery codes (carries seed intake). */
export const secretService = (deps: Deps): SecretService =>
  builtOnce(deps, secretService, () => new SecretService(deps.secrets, templateService(deps), deps.sealed, deps.clock));
