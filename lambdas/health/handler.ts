import { operation } from '../../shared/api/operation';
import { health } from '../../shared/api/routes/health';

/** Liveness only: touches no store, needs no token. */
export const handler = operation(health, async () => ({ status: 'ok' }));
