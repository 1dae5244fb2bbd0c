import { lambdaAuthorizer } from '../../shared/auth/lambdaAuthorizer';
import { originGateFromConfig } from '../../shared/auth/originGateFromConfig';
import { tokenAuthorizerFromConfig } from '../../shared/auth/tokenAuthorizerFromConfig';
import { loadAuthorizerConfig } from '../../shared/config/authorizerConfig';

/**
 * The people authorizer (not a route): API Gateway calls it before every `auth: 'required'` route
 * of the JWT API, with the request's `Authorization` header. A request that did not come through
 * CloudFront (no origin header, or a wrong one) is refused first, without an audit event. Then a
 * Cognito access token (a local issuer's token locally) is let through with its principal as the
 * context; anything else is refused and the refusal audited.
 */
export const handler = lambdaAuthorizer(() => {
  const config = loadAuthorizerConfig();
  return { origin: originGateFromConfig(config), tokens: tokenAuthorizerFromConfig(config) };
});
