/**
 * Builds the web console into `web/dist` (git-ignored) with esbuild: one hashed ES module entry
 * (Preact, TSX), a lazily loaded chunk for Cognito sign-in, one stylesheet, and `index.html` that
 * names them (no inline script, so the CSP can forbid it). Takes well under a second.
 *
 * `tsx web/build.ts` builds and prints the first-load JavaScript size, gzipped.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { routes } from '../shared/api/routes';

export const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DIST_DIR = join(WEB_DIR, 'dist');
/** The budget for the JavaScript of the first load, gzipped. */
export const FIRST_LOAD_BUDGET_BYTES = 150 * 1024;

export interface ConsoleBuild {
  dist: string;
  /** JavaScript the browser loads before the first page shows (entry and its static imports), gzipped. */
  firstLoadJsGzipBytes: number;
  /** Every emitted file with its gzipped size. */
  files: { file: string; bytes: number; gzipBytes: number }[];
}

/**
 * The route table's methods and paths, as a module the console imports (`otpvault:routes`): the API
 * module builds its requests from the very rows the stack deploys, without bundling zod.
 */
const routeTablePlugin: Plugin = {
  name: 'otpvault-routes',
  setup(b) {
    b.onResolve({ filter: /^otpvault:routes$/ }, () => ({ path: 'routes', namespace: 'otpvault' }));
    b.onLoad({ filter: /.*/, namespace: 'otpvault' }, () => ({
      contents: `export default ${JSON.stringify(Object.fromEntries(routes.map((r) => [r.op, { method: r.method, path: r.path }])))};`,
      loader: 'js',
    }));
  },
};

/**
 * @param options.dist - Output folder. @default web/dist
 * @example
 * const { firstLoadJsGzipBytes } = await buildConsole();
 */
export async function buildConsole(options: { dist?: string } = {}): Promise<ConsoleBuild> {
  const dist = options.dist ?? DIST_DIR;
  await rm(dist, { recursive: true, force: true });
  await mkdir(join(dist, 'assets'), { recursive: true });
  const result = await build({
    entryPoints: [join(WEB_DIR, 'src/main.tsx')],
    outdir: join(dist, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    metafile: true,
    write: true,
    logLevel: 'silent',
    plugins: [routeTablePlugin],
  });
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint?.endsWith('src/main.tsx'));
  if (!entry) throw new Error('esbuild produced no console entry');
  const [entryFile, entryOutput] = entry;
  const css = entryOutput.cssBundle;
  const template = await readFile(join(WEB_DIR, 'index.html'), 'utf8');
  const html = template
    .replace('%MAIN_JS%', `/assets/${basename(entryFile)}`)
    .replace('%MAIN_CSS%', css ? `/assets/${basename(css)}` : '');
  await writeFile(join(dist, 'index.html'), html);

  const files = await Promise.all(
    Object.keys(result.metafile.outputs).map(async (file) => {
      const content = await readFile(file);
      return { file: relative(dist, file), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    }),
  );
  const firstLoad = staticClosure(result.metafile, entryFile);
  const firstLoadJsGzipBytes = files
    .filter((f) => firstLoad.has(join(dist, f.file)) || firstLoad.has(relative(process.cwd(), join(dist, f.file))))
    .reduce((sum, f) => sum + f.gzipBytes, 0);
  return { dist, firstLoadJsGzipBytes, files };
}

/** The entry's output and every chunk it imports statically (dynamic imports load later). */
function staticClosure(metafile: Metafile, entryFile: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !file.endsWith('.js')) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement') visit(imported.path);
    }
  };
  visit(entryFile);
  // Metafile paths are relative to the working directory: offer both forms.
  return new Set([...seen, ...[...seen].map((f) => join(process.cwd(), f))]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  // `--out <dir>`: where CDK's asset bundling wants the files.
  const outAt = process.argv.indexOf('--out');
  const built = await buildConsole(outAt > 0 ? { dist: process.argv[outAt + 1] } : {});
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `web console built in ${Math.round(performance.now() - started)} ms into ${relative(process.cwd(), built.dist) || '.'}: ` +
      `first-load JavaScript ${kb(built.firstLoadJsGzipBytes)} gzipped (budget ${kb(FIRST_LOAD_BUDGET_BYTES)})`,
  );
}
