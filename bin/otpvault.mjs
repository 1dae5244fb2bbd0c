#!/usr/bin/env node
// The `otpvault` command: the bundled CLI (`npm run build:cli`) when it is there, else the
// TypeScript source through tsx (slower to start, never stale).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/otpvault.mjs', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../cli/main.ts', import.meta.url).href);
}
