/**
 * What a caller can reach, as lists: the secrets it may read (`listReadable`, paginated) and
 * every secret it may use with the actions allowed on each (`mySecrets`). Both ask the policy
 * engine about many paths at once instead of one decision per secret.
 */
export { listReadable, LIST_READ_BUDGET } from './readableSecrets';
export type { ReadablePage } from './readableSecrets';
export { mySecrets } from './mySecrets';
export type { CallerAccess, MySecret, MySecrets } from './mySecrets';
export { literalPrefix, searchPrefixes, MAX_SEARCH_PREFIXES } from './searchPrefixes';
export { simulate, SimulationSchema } from './simulation';
export type { Simulation, SimulationRequest } from './simulation';
