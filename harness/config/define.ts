import type { ConfigDefinition, ConfigOptions, ScenarioExport, ScenarioOptions, SuiteDefinition, SuiteOptions } from './scenario-types.ts';

/**
 * Declares a scenario: the default export of a file under scenarios/. Returns its argument, tagged;
 * validation happens when the file is loaded (crucible run), before anything starts. `kind` decides
 * which options it takes: `chaos` (required) on kind chaos, `stress` only on stress, `soak` only on soak.
 *
 * @example
 * export default defineScenario({
 *   name: 'browse', kind: 'load',
 *   flows: { browse: async ({ http, zipf }) => void (await http.get(`/api/products/${zipf(10_000)}`, { name: 'product' })) },
 *   load: { steady: { executor: 'constant-arrival-rate', rate: 50, duration: '30s', preAllocatedVUs: 20 } },
 *   thresholds: { http_req_duration: ['p(95)<200'] },
 * });
 */
export function defineScenario<D = unknown>(scenario: ScenarioOptions<D>): ScenarioExport<D> {
  return { ...scenario, __crucible: 'scenario' };
}

/** Declares a suite: scenario files run one after the other, reported together. */
export function defineSuite(suite: SuiteOptions): SuiteDefinition {
  return { ...suite, __crucible: 'suite' };
}

/** Declares crucible.config.ts at the project root. */
export function defineConfig(config: ConfigOptions): ConfigDefinition {
  return { ...config, __crucible: 'config' };
}
