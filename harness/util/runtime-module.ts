import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether crucible runs from the built package (every module compiled to .js, tsconfig.build.json)
 * rather than from its TypeScript source. All modules are built together, so this one's own
 * extension says it for all of them.
 */
export const RUNS_BUILT = import.meta.url.endsWith('.js');

/**
 * A module crucible starts by path (a process's or a worker thread's main, the supervisor, a
 * service), named by its `.ts` source relative to `base` (the caller's import.meta.url): the same
 * file as `.js` when running from the built package. The one home for such paths, so each works from
 * the checkout and from node_modules.
 */
export function runtimeModuleUrl(specifier: string, base: string | URL): URL {
  const url = new URL(specifier, base);
  if (RUNS_BUILT) url.pathname = url.pathname.replace(/\.ts$/, '.js');
  return url;
}

/** runtimeModuleUrl() as a file path, for a command line. */
export function runtimeModulePath(specifier: string, base: string | URL): string {
  return fileURLToPath(runtimeModuleUrl(specifier, base));
}

/**
 * A scenario, suite or profile file named by its `.ts` source (a suite's list, the sign-off's
 * defaults, a name looked up under scenarios/): the compiled `.js` beside it when the package ships
 * only that. A user's own .ts file exists and is returned as it is.
 */
export function shippedModuleFile(file: string): string {
  if (!file.endsWith('.ts') || existsSync(file)) return file;
  const js = `${file.slice(0, -'.ts'.length)}.js`;
  return existsSync(js) ? js : file;
}
