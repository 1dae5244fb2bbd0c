// Worker entry: TypeScript through tsx (a worker does not inherit the parent's loader), then the emulator.
import { register } from 'tsx/esm/api';

register();
await import('./workerMain.ts');
