import type { AuditTarget } from '../audit/event';
import { GLOBAL_SCOPE } from '../policy';
import type { SecretRecord } from '../secrets/model';
import type { RequestScope } from './requestScope';
import type { RouteDefinition } from './route';

/** Path parameters naming what a request is about, recorded before it is decided (a secret's id: by `scope.secret`). */
const TARGET_PARAMS = ['policyId', 'templateId'] as const satisfies readonly (keyof AuditTarget)[];

/**
 * Asks the policies what the row declares, before the handler runs: denials throw
 * (ForbiddenError, or NotFoundError where the caller may see every secret), and a row with
 * `on: 'secret'` hands the loaded secret on.
 *
 * @param route - the operation's row
 * @param scope - the caller and its rules for this request
 * @param input - the validated input (path parameters, and the path of `on: 'path'`)
 */
export async function authorizeRoute(route: RouteDefinition, scope: RequestScope, input: unknown): Promise<SecretRecord | undefined> {
  const params = (input as { params?: Record<string, unknown> }).params ?? {};
  for (const key of TARGET_PARAMS) {
    if (typeof params[key] === 'string') scope.audit.setTarget({ [key]: params[key] });
  }
  const rule = route.authorize;
  switch (rule.on) {
    case 'secret':
      return scope.secret(rule.action, String(params.secretId));
    case 'path': {
      const path = rule.path(input);
      scope.audit.setTarget({ path });
      scope.authorize(rule.action, path);
      return undefined;
    }
    case 'global':
      scope.authorize(rule.action, GLOBAL_SCOPE);
      return undefined;
    case 'anywhere':
      scope.authorizeSomewhere(...rule.anyOf);
      return undefined;
    case 'caller':
      scope.authorizeSelf();
      return undefined;
    case 'none':
      return undefined;
  }
}
