import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { invalid, shown, zodProblems } from './definition-errors.ts';
import { resolveScenario } from './resolve-scenario.ts';
import type { ResolvedScenario } from './resolved-scenario.ts';
import { suiteSchema } from './scenario-schema.ts';
import type { SloOptions, SuiteDefinition } from './scenario-types.ts';

export interface LoadedScenario {
  readonly kind: 'scenario';
  /** Absolute path. */
  readonly file: string;
  /** Validated and resolved once: what the run reads. */
  readonly scenario: ResolvedScenario;
}

export interface LoadOptions {
  /** crucible.config.ts's SLOs, between the roadmap's and each scenario's. */
  readonly slos?: SloOptions | undefined;
}

export interface LoadedSuite {
  readonly kind: 'suite';
  readonly file: string;
  readonly suite: SuiteDefinition;
  readonly scenarios: readonly LoadedScenario[];
}

export type LoadedDefinition = LoadedScenario | LoadedSuite;

/** Finds `smoke` as scenarios/suites/smoke.ts, else scenarios/**\/smoke.ts; a path is used as it is. */
export function resolveDefinitionPath(ref: string, cwd = process.cwd()): string {
  const direct = isAbsolute(ref) ? ref : resolve(cwd, ref);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  if (!ref.includes('/') && !ref.endsWith('.ts')) {
    const root = join(projectRoot(), 'scenarios');
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && entry.name !== 'k6' && entry.name !== 'node_modules') walk(join(dir, entry.name));
        else if (entry.name === `${ref}.ts`) hits.push(join(dir, entry.name));
      }
    };
    if (existsSync(root)) walk(root);
    // A suite and a scenario may share a name (smoke): the name means the suite.
    const suites = hits.filter((h) => dirname(h) === join(root, 'suites'));
    if (hits.length === 1 || suites.length === 1) return (suites[0] ?? hits[0])!;
    if (hits.length > 1)
      throw new CrucibleError('CRUCIBLE_ERR_SCENARIO_NOT_FOUND', `'${ref}' names more than one file under scenarios/`, {
        details: hits.map(shown),
        hint: 'Pass the path of the one you mean.',
      });
  }
  throw new CrucibleError('CRUCIBLE_ERR_SCENARIO_NOT_FOUND', `no scenario or suite at ${shown(direct)}`);
}

export async function importDefault(file: string): Promise<unknown> {
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return mod.default;
  } catch (err) {
    // A file may refuse to load with its own coded error (a profile read from a platform that is not up).
    if (err instanceof CrucibleError) throw err;
    throw new CrucibleError('CRUCIBLE_ERR_SCENARIO_LOAD', `${shown(file)} could not be loaded: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

function checkScenario(file: string, value: unknown, options: LoadOptions): LoadedScenario {
  return { kind: 'scenario', file, scenario: resolveScenario(value, { file, slos: options.slos }) };
}

/**
 * Imports a scenario or suite file and validates it whole; every problem is reported at once, each
 * with the file and the field path, before anything starts (exit 2).
 */
export async function loadDefinition(ref: string, options: LoadOptions = {}): Promise<LoadedDefinition> {
  const file = resolveDefinitionPath(ref);
  const value = await importDefault(file);
  const tag = (value as { __crucible?: unknown } | undefined)?.__crucible;
  if (tag === 'scenario') return checkScenario(file, value, options);
  if (tag === 'suite') {
    const parsed = suiteSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) throw invalid(file, 'suite', zodProblems(parsed.error));
    const suite = value as SuiteDefinition;
    const scenarios: LoadedScenario[] = [];
    const problems: string[] = [];
    for (const [i, ref2] of suite.scenarios.entries()) {
      const path = resolve(dirname(file), ref2);
      if (!existsSync(path)) {
        problems.push(`scenarios[${i}]: no file at ${shown(path)}`);
        continue;
      }
      const loaded = await loadDefinition(path, options);
      if (loaded.kind !== 'scenario') problems.push(`scenarios[${i}]: ${shown(path)} is a suite; suites list scenario files`);
      else scenarios.push(loaded);
    }
    if (problems.length > 0) throw invalid(file, 'suite', problems);
    return { kind: 'suite', file, suite, scenarios };
  }
  throw invalid(file, 'scenario', ['(the default export): expected export default defineScenario({...}) or defineSuite({...})']);
}
