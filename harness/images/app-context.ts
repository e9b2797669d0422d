import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import { outputTail, runProcess } from '../containers/engine-command.ts';
import { APP_ASSETS, APP_ENTRIES, appEntries, appManifest, appSources } from './app-sources.ts';
import { cachedDigest, filesUnder, type ContextInput } from './context-hash.ts';
import { cachedFolder } from './image-cache.ts';

/**
 * The services' runtime dependencies, installed once per set of packages and lockfile with
 * `npm install --omit=dev` next to a copy of the project's lockfile (so the versions are the
 * locked ones) and kept in the image cache.
 */
async function dependencies(root: string, cacheDir: string, manifest: object, signal: AbortSignal | undefined): Promise<string> {
  const lockFile = join(root, 'package-lock.json');
  const lock = existsSync(lockFile) ? readFileSync(lockFile, 'utf8') : '';
  const key = createHash('sha256').update(JSON.stringify(manifest)).update(lock).digest('hex').slice(0, 16);
  return cachedFolder(cacheDir, `deps-${key}`, async (tmp) => {
    await writeFile(join(tmp, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (lock) await writeFile(join(tmp, 'package-lock.json'), lock);
    const result = await runProcess('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], process.env, {
      cwd: tmp,
      timeoutMs: 600_000,
      ...(signal ? { signal } : {}),
    });
    if (result.code !== 0)
      throw new CrucibleError('CRUCIBLE_ERR_IMAGE_BUILD', `npm install of the services' dependencies failed (exit ${result.code})`, {
        details: outputTail(result),
        hint: 'The dependencies come from the npm registry: check that `npm view fastify version` works.',
      });
  });
}

/** What the compiled package needs beside the services' modules to be built in a checkout (scripts/build-package.ts). */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-package.ts'];

/** A digest of files (project-relative), for a cache key. */
async function filesDigest(root: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const rel of [...files].sort()) {
    const file = join(root, rel);
    hash.update(`${rel}\n`);
    if (existsSync(file)) hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

async function assetFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const asset of APP_ASSETS)
    for (const rel of await filesUnder(join(root, asset), (n) => n.endsWith('.test.ts'))) out.push(rel ? `${asset}/${rel}` : asset);
  return out;
}

/** Copies the compiled services (walked from their .js entries in `from`), their assets, package.json and node_modules into `to`. */
async function stageCompiled(from: string, to: string, manifest: object, deps: string): Promise<void> {
  const compiled = appSources(from, appEntries('.js'));
  for (const rel of [...compiled.modules, ...(await assetFiles(from))]) {
    await mkdir(dirname(join(to, rel)), { recursive: true });
    await cp(join(from, rel), join(to, rel));
  }
  await writeFile(join(to, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await cp(join(deps, 'node_modules'), join(to, 'node_modules'), { recursive: true, verbatimSymlinks: true });
}

/**
 * app/ of a service image: the services compiled to JavaScript (the package's own build,
 * scripts/build-package.ts, run here in a checkout; the package's files as they are where crucible runs
 * installed), only the modules their entries reach and the files they read by path, with package.json
 * and node_modules of their runtime dependencies. Kept in the image cache under a key of its sources,
 * so the package is built only when they changed.
 */
export async function appInput(root: string, cacheDir: string, signal?: AbortSignal): Promise<ContextInput> {
  const checkout = existsSync(join(root, APP_ENTRIES[0] + '.ts'));
  const ext = checkout ? '.ts' : '.js';
  const sources = appSources(root, appEntries(ext));
  const manifest = appManifest(root, sources.packages);
  const deps = await dependencies(root, cacheDir, manifest, signal);
  const key = (await filesDigest(root, [...sources.modules, ...(await assetFiles(root)), ...(checkout ? BUILD_INPUTS : [])])).slice(0, 16);
  const dir = await cachedFolder(cacheDir, `app-${key}-${(await cachedDigest(deps)).slice(0, 8)}`, async (tmp) => {
    if (!checkout) return stageCompiled(root, tmp, manifest, deps);
    // Built into a folder of its own, so it never races a build of the checkout's dist/.
    const out = await mkdtemp(join(tmpdir(), 'crucible-images-package-'));
    try {
      const built = await runProcess(process.execPath, [join(root, 'scripts', 'build-package.ts'), '--out', out], process.env, {
        cwd: root,
        timeoutMs: 600_000,
        ...(signal ? { signal } : {}),
      });
      if (built.code !== 0)
        throw new CrucibleError('CRUCIBLE_ERR_IMAGE_BUILD', `the package build (scripts/build-package.ts) failed (exit ${built.code})`, {
          details: outputTail(built),
        });
      await stageCompiled(out, tmp, manifest, deps);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
  return { path: 'app', source: dir, digest: await cachedDigest(dir) };
}
