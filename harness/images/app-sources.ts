import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';

/** The programs the service images run (each service, and the images' health check), without their extension. */
export const APP_ENTRIES = [
  'platform/services/gateway/main',
  'platform/services/auth/main',
  'platform/services/catalog/main',
  'platform/images/service-health',
] as const;

/** The entries as files: `.ts` in a checkout, `.js` in the compiled package. */
export function appEntries(ext: '.ts' | '.js'): string[] {
  return APP_ENTRIES.map((e) => `${e}${ext}`);
}

/** Files the services read at run time by path, not by import: migrations, the web UI, the seeded users. */
export const APP_ASSETS = ['platform/services/catalog/migrations', 'platform/services/web/public', 'fixtures/users.json'] as const;

export interface AppSources {
  /** Project-relative paths of every module the entries import, transitively. */
  readonly modules: readonly string[];
  /** npm packages imported (by their package name), sorted. */
  readonly packages: readonly string[];
}

const IMPORT = /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The package a bare specifier names: 'fastify', '@fastify/static' from '@fastify/static/x'. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Walks the relative imports from the entries, so the images carry exactly the code the services
 * run (a new shared module comes along without a list to keep), and collects the npm packages.
 */
export function appSources(root: string, entries: readonly string[] = appEntries('.ts')): AppSources {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => resolve(root, e));
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    const rel = relative(root, file);
    if (modules.has(rel)) continue;
    if (!existsSync(file)) throw new CrucibleError('CRUCIBLE_ERR_IMAGE_BUILD', `the services import ${rel}, which does not exist`);
    modules.add(rel);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? '';
      if (spec.startsWith('node:') || spec === '') continue;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else packages.add(packageOf(spec));
    }
  }
  return { modules: [...modules].sort(), packages: [...packages].sort() };
}

/** The app's package.json: the imported packages at the project's own version ranges. */
export function appManifest(root: string, packages: readonly string[]): { name: string; private: true; type: 'module'; dependencies: Record<string, string> } {
  const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const dependencies: Record<string, string> = {};
  for (const pkg of packages) {
    const range = project.dependencies?.[pkg];
    if (!range)
      throw new CrucibleError('CRUCIBLE_ERR_IMAGE_BUILD', `the services import ${pkg}, which is not a runtime dependency in package.json`, {
        hint: `Add ${pkg} to "dependencies" (npm i ${pkg}); the images install only runtime dependencies.`,
      });
    dependencies[pkg] = range;
  }
  return { name: 'crucible-platform', private: true, type: 'module', dependencies };
}
