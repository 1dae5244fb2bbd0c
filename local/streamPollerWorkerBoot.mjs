// Worker entry: TypeScript through tsx (a worker does not inherit the parent's loader), then the poller.
import { register } from 'tsx/esm/api';

register();
await import('./streamPollerWorkerMain.ts');
