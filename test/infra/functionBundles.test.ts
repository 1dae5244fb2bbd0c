import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bundleExternals } from '../../infra/constructs/vaultLambda';
import { BUNDLE_BUDGET_KB, stackBuildOptions } from '../../infra/esbuildApiOptions';
import { REPO_ROOT } from '../../infra/projectPaths';
import { routes } from '../../shared/api/routes';

interface Bundle {
  fn: string;
  decodesPictures: boolean;
  bytes: number;
  /** Source files in the bundle with the bytes each left in it. */
  inputs: Metafile['outputs'][string]['inputs'];
}

const functions = readdirSync(join(REPO_ROOT, 'lambdas'))
  .filter((d) => statSync(join(REPO_ROOT, 'lambdas', d)).isDirectory())
  .sort();

/**
 * Every function bundled as the stack bundles it (options, externals), in memory: one esbuild call per
 * set of externals, each entry point its own output (a bundle does not depend on the others built with it).
 */
async function bundles(): Promise<Bundle[]> {
  const out: Bundle[] = [];
  for (const decodesPictures of [false, true]) {
    const group = functions.filter((fn) => (routes.find((route) => route.op === fn)?.decodesPictures ?? false) === decodesPictures);
    if (group.length === 0) continue;
    const { metafile } = await build({
      ...stackBuildOptions(),
      absWorkingDir: REPO_ROOT,
      entryPoints: group.map((fn) => ({ in: join(REPO_ROOT, 'lambdas', fn, 'handler.ts'), out: join(fn, 'index') })),
      outdir: join(REPO_ROOT, '.otpvault', 'unused'),
      outExtension: { '.js': '.mjs' },
      write: false,
      metafile: true,
      external: bundleExternals(decodesPictures),
    });
    for (const fn of group) {
      const output = Object.values(metafile.outputs).find((o) => o.entryPoint === `lambdas/${fn}/handler.ts`);
      if (!output) throw new Error(`no output for ${fn}`);
      out.push({ fn, decodesPictures, bytes: output.bytes, inputs: output.inputs });
    }
  }
  return out;
}

/**
 * What each function's deployed code carries (issue 13): the budget, its own row only, and zod as the
 * tree-shaken ESM build (a named `import { z } from 'zod'` kept all of zod, its 40 locales and its JSON
 * Schema parser: 458 KB of every bundle).
 */
describe('function bundles', () => {
  let all: Bundle[];

  beforeAll(async () => {
    all = await bundles();
  }, 300_000);

  it(`stay within ${BUNDLE_BUDGET_KB} KB for every function that does not decode pictures`, () => {
    // Act
    const over = all.filter((b) => !b.decodesPictures && b.bytes > BUNDLE_BUDGET_KB * 1024).map((b) => `${b.fn}: ${(b.bytes / 1024).toFixed(1)} KB`);

    // Assess
    expect(over).toEqual([]);
  });

  it("carry their own row's schema and no other row's (the API description reads them all)", () => {
    // Prepare
    const ops = new Set<string>(routes.map((route) => route.op));

    // Act
    const strays = all
      .filter((b) => b.fn !== 'getOpenApi')
      .flatMap((b) =>
        Object.keys(b.inputs)
          .map((path) => /^shared\/api\/routes\/(\w+)\.ts$/.exec(path)?.[1])
          .filter((row): row is string => row !== undefined && ops.has(row) && row !== b.fn)
          .map((row) => `${b.fn} carries ${row}`),
      );

    // Assess
    expect(strays).toEqual([]);
  });

  it("hold zod's English messages only, and no JSON Schema parser", () => {
    // Act
    const extra = all.flatMap((b) =>
      Object.keys(b.inputs)
        .filter((path) => /node_modules\/zod\/.*(locales\/(?!en\.js)|from-json-schema)/.test(path))
        .map((path) => `${b.fn}: ${path.replace(/.*node_modules\//, '')}`),
    );

    // Assess
    expect(extra).toEqual([]);
  });
});
