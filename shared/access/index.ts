/**
 * Who may do what, applied to requests: the rules in force (`PolicyRules` over the stored
 * policies), the caller of one request and the decisions made for it (`RequestAccess`), what a
 * caller can reach as lists (`listReadable`, `mySecrets`), and simulations. The policy engine
 * itself is `shared/policy`; the token check in front of the API is `shared/auth`.
 */
export { RequestAccess, type AccessTarget, type RequestAccessDeps } from './RequestAccess';
export { PolicyRules, type AccessContext, type AccessDecision, type AccessRequest, type AccessRules, type RulesSource } from './PolicyRules';
export { listReadable, LIST_READ_BUDGET } from './readableSecrets';
export type { ReadablePage } from './readableSecrets';
export { mySecrets } from './mySecrets';
export type { CallerAccess, MySecret, MySecrets } from './mySecrets';
export { literalPrefix, searchPrefixes, MAX_SEARCH_PREFIXES } from './searchPrefixes';
export { simulate, SimulationSchema } from './simulation';
export type { Simulation, SimulationRequest } from './simulation';
