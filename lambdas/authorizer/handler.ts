import { lambdaAuthorizer } from '../../shared/auth/lambdaAuthorizer';
import { tokenAuthorizerFromConfig } from '../../shared/auth/tokenAuthorizerFromConfig';
import { loadAuthorizerConfig } from '../../shared/config/authorizerConfig';

/**
 * The people authorizer (not a route): API Gateway calls it before every `auth: 'required'` route
 * of the JWT API, with the request's `Authorization` header. A Cognito access token (a local
 * issuer's token locally) is let through with its principal as the context; anything else is
 * refused and the refusal audited.
 */
export const handler = lambdaAuthorizer(() => tokenAuthorizerFromConfig(loadAuthorizerConfig()));
