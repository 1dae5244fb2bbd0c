/**
 * `npm run openapi`: writes the files generated from the route table (docs/openapi.json and the
 * client's operation table). `--check` only compares, and exits 1 naming the stale files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from '../shared/openapi/generated';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const file of generatedFiles()) {
  const target = join(root, file.path);
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === file.content) continue;
  stale.push(file.path);
  if (!check) writeFileSync(target, file.content);
}
if (check && stale.length > 0) {
  console.error(`out of date (run npm run openapi): ${stale.join(', ')}`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'generated files are up to date' : `wrote ${stale.join(', ')}`);
