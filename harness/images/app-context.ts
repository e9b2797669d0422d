import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import { outputTail, runProcess } from '../containers/engine-command.ts';
import { APP_ASSETS, appManifest, appSources } from './app-sources.ts';
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

/**
 * The inputs of app/ in a service image's context: the modules the services import, the files they
 * read by path, and (from the cache) package.json with node_modules of their runtime dependencies.
 */
export async function appInputs(root: string, cacheDir: string, signal?: AbortSignal): Promise<ContextInput[]> {
  const sources = appSources(root);
  const deps = await dependencies(root, cacheDir, appManifest(root, sources.packages), signal);
  const inputs: ContextInput[] = sources.modules.map((rel) => ({ path: `app/${rel}`, source: join(root, rel) }));
  for (const asset of APP_ASSETS)
    for (const rel of await filesUnder(join(root, asset), (name) => name.endsWith('.test.ts')))
      inputs.push({ path: rel ? `app/${asset}/${rel}` : `app/${asset}`, source: rel ? join(root, asset, rel) : join(root, asset) });
  const depsDigest = await cachedDigest(deps);
  inputs.push({ path: 'app/package.json', source: join(deps, 'package.json') });
  inputs.push({ path: 'app/node_modules', source: join(deps, 'node_modules'), digest: depsDigest });
  return inputs;
}
