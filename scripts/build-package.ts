// Builds the npm package into dist/ (`npm run pack` then packs it): tsc emits ESM JavaScript and .d.ts
// mirroring the repository's layout (tsconfig.build.json), the files the harness and the platform read
// at run time are copied beside them, and dist/package.json is written with the runtime dependencies
// the shipped code imports. tsc rather than a bundler: the code is already erasable TypeScript in ESM,
// and several files are entry points started by path (the supervisor, each service's main, the load
// engine's worker, the fault watchdog) that a bundler would fold together. docs/package.md says more.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../harness/util/project-root.ts';

const root = projectRoot();
// --out <dir>: build elsewhere than dist/ (the package test builds into its own temporary folder, so
// it never races another build of the checkout's dist/).
const { values: flags } = parseArgs({ options: { out: { type: 'string' } } });
const dist = flags.out === undefined ? join(root, 'dist') : resolve(flags.out);
const say = (msg: string): void => console.log(`build: ${msg}`);

/** Folders tsc compiles; their other files (configs, rules, SQL, the web UI, Containerfiles) are copied as they are. */
const CODE_DIRS = ['harness', 'platform', 'scenarios'];
/** Read at run time but outside CODE_DIRS: the seed users, init's templates, the package's bin, the docs error hints point to. */
const EXTRA = ['fixtures/users.json', 'templates', 'bin/crucible.js', 'README.md', 'CHANGELOG.md', 'docs'];
/** k6 runs these TypeScript scripts itself (they are never loaded by Node), so they ship as sources. */
const K6_SCRIPTS = `scenarios${sep}k6${sep}`;
/** Development-only files among the copied ones. */
const notShipped = (rel: string): boolean => /\.test\.ts$|\.snapshot$|(^|\/)tsconfig\.json$/.test(rel.split(sep).join('/'));

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(file, out);
    } else out.push(file);
  }
  return out;
}

function copy(rel: string): void {
  const to = join(dist, rel);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(root, rel), to, { recursive: true });
}

/** The bare specifiers the compiled JavaScript imports, as package names (`@scope/name` or `name`). */
function importedPackages(files: readonly string[]): Map<string, string[]> {
  const builtins = new Set(builtinModules);
  const found = new Map<string, string[]>();
  // Static and dynamic imports, export-from, and createRequire's resolve (echarts' prebuilt bundle).
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\.resolve\(\s*)['"]([^'"\s]+)['"]/g;
  for (const file of files) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(specifier)) {
      if (!spec || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec.startsWith('data:')) continue;
      const parts = spec.split('/');
      const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
      if (builtins.has(name) || name === 'crucible') continue;
      found.set(name, [...(found.get(name) ?? []), relative(dist, file)]);
    }
  }
  return found;
}

/** The .d.ts files the public entry's types reach; the others (services, scenarios) are of no use to a user. */
function declarationClosure(entry: string): Set<string> {
  const keep = new Set<string>();
  const pending = [entry];
  const reference = /(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.[^'"]+)['"]/g;
  while (pending.length > 0) {
    const file = pending.pop();
    if (file === undefined || keep.has(file) || !existsSync(file)) continue;
    keep.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(reference)) if (spec) pending.push(join(dirname(file), spec.replace(/\.(js|ts)$/, '.d.ts')));
  }
  return keep;
}

interface RootManifest {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

// The output folder is emptied first: refuse one that holds the checkout or something other than an earlier build.
if (!relative(dist, root).startsWith('..') || (existsSync(dist) && readdirSync(dist).length > 0 && !existsSync(join(dist, 'harness', 'index.js'))))
  throw new Error(`--out ${dist}: not an empty folder or an earlier build of the package; refusing to empty it`);
rmSync(dist, { recursive: true, force: true });
const t0 = performance.now();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { cwd: root, stdio: 'inherit' });
say(`tsc emitted ${relative(root, dist) || dist} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

let copied = 0;
for (const dir of CODE_DIRS)
  for (const file of walk(join(root, dir))) {
    const rel = relative(root, file);
    if ((file.endsWith('.ts') && !rel.startsWith(K6_SCRIPTS)) || notShipped(rel)) continue;
    copy(rel);
    copied++;
  }
for (const rel of EXTRA) {
  copy(rel);
  copied++;
}
say(`copied ${copied} files and folders the code reads at run time (rules, configs, web UI, k6 scripts, seed users, init's templates, docs)`);

// Node refuses to strip types under node_modules: a .ts file Node would load must not ship.
const files = walk(dist);
const stray = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !relative(dist, f).startsWith(K6_SCRIPTS));
if (stray.length > 0) throw new Error(`TypeScript sources in dist/ that Node could not load from node_modules: ${stray.join(', ')}`);

const types = declarationClosure(join(dist, 'harness', 'index.d.ts'));
let pruned = 0;
for (const f of files)
  if (f.endsWith('.d.ts') && !types.has(f)) {
    rmSync(f);
    pruned++;
  }
say(`kept the ${types.size} declaration files harness/index.d.ts reaches, removed ${pruned}`);

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as RootManifest;
const declared = { ...manifest.devDependencies, ...manifest.dependencies };
const code = files.filter((f) => f.endsWith('.js') && !relative(dist, f).startsWith(join('platform', 'services', 'web', 'public')));
const imported = importedPackages(code);
const unknown = [...imported].filter(([name]) => declared[name] === undefined);
if (unknown.length > 0)
  throw new Error(
    `shipped code imports packages package.json does not declare: ${unknown.map(([n, where]) => `${n} (${where.slice(0, 3).join(', ')})`).join('; ')}`,
  );
const dependencies = Object.fromEntries([...imported.keys()].sort().map((name) => [name, declared[name] ?? '']));
const unused = Object.keys(manifest.dependencies).filter((name) => !imported.has(name));
if (unused.length > 0) say(`dependencies no shipped code imports, left out of the package: ${unused.join(', ')}`);

const pkg = {
  name: manifest.name,
  version: manifest.version,
  description: manifest.description,
  license: manifest.license,
  type: 'module',
  bin: { crucible: 'bin/crucible.js' },
  exports: { '.': { types: './harness/index.d.ts', default: './harness/index.js' }, './package.json': './package.json' },
  types: './harness/index.d.ts',
  engines: { node: manifest.engines['node'] ?? '>=24' },
  dependencies,
  files: ['bin', 'harness', 'platform', 'scenarios', 'fixtures', 'templates', 'docs', 'CHANGELOG.md'],
};
writeFileSync(join(dist, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
const bytes = walk(dist).reduce((sum, f) => sum + statSync(f).size, 0);
say(`dist/package.json: ${pkg.name}@${pkg.version}, ${Object.keys(dependencies).length} runtime dependencies; dist/ holds ${(bytes / 1e6).toFixed(1)} MB`);
