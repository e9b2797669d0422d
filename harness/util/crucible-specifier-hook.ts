import { registerHooks } from 'node:module';
import { runtimeModuleUrl } from './runtime-module.ts';

/** The running harness's public entry: harness/index.ts from a checkout, harness/index.js from the package. */
const ENTRY = runtimeModuleUrl('../index.ts', import.meta.url).href;

let registered = false;

/**
 * Makes `import ... from 'crucible'` in any file crucible loads (a user's scenario, suite,
 * crucible.config.ts, target profile) resolve to the running harness's own entry: one instance of
 * its modules, whether or not the user's project has crucible in its node_modules, and from files
 * anywhere on disk. Hooks are per thread: the load engine's workers register it too. Idempotent.
 */
export function resolveCrucibleToThisHarness(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve: (specifier, context, nextResolve) => (specifier === 'crucible' ? { url: ENTRY, shortCircuit: true } : nextResolve(specifier, context)),
  });
}
