import { operation } from '../../shared/api/operation';

/** Liveness only: touches no store, needs no token. */
export const handler = operation('health', async () => ({ status: 'ok' }));
