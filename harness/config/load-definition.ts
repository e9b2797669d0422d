import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { shippedModuleFile } from '../util/runtime-module.ts';
import { userProjectRoot } from '../util/user-project.ts';
import { resolveCrucibleToThisHarness } from '../util/crucible-specifier-hook.ts';
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

/** The file extensions a scenario, suite, config or profile may have (TypeScript through Node's type stripping, or JavaScript). */
const DEFINITION_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** `smoke` under one scenarios/ folder: scenarios/suites/smoke.ts (a suite wins over a scenario of the same name), else scenarios/**\/smoke.ts. */
function findByName(ref: string, root: string): string | undefined {
  const hits: string[] = [];
  const names = new Set(DEFINITION_EXTENSIONS.map((ext) => `${ref}${ext}`));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'k6' && entry.name !== 'node_modules') walk(join(dir, entry.name));
      else if (names.has(entry.name)) hits.push(join(dir, entry.name));
    }
  };
  if (existsSync(root)) walk(root);
  const suites = hits.filter((h) => dirname(h) === join(root, 'suites'));
  if (hits.length === 1 || suites.length === 1) return suites[0] ?? hits[0];
  if (hits.length > 1)
    throw new CrucibleError('CRUCIBLE_ERR_SCENARIO_NOT_FOUND', `'${ref}' names more than one file under ${shown(root)}`, {
      details: hits.map(shown),
      hint: 'Pass the path of the one you mean.',
    });
  return undefined;
}

/**
 * A path is used as it is (a `.ts` path crucible ships compiled finds its `.js`). A bare name is
 * looked up under the user's project's scenarios/ first, then under crucible's own example
 * scenarios (the same folder when run from the checkout).
 */
export function resolveDefinitionPath(ref: string, cwd = process.cwd()): string {
  const direct = shippedModuleFile(isAbsolute(ref) ? ref : resolve(cwd, ref));
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  if (!ref.includes('/') && !DEFINITION_EXTENSIONS.some((ext) => ref.endsWith(ext))) {
    const roots = [...new Set([join(userProjectRoot(cwd), 'scenarios'), join(projectRoot(), 'scenarios')])];
    for (const root of roots) {
      const found = findByName(ref, root);
      if (found !== undefined) return found;
    }
  }
  throw new CrucibleError('CRUCIBLE_ERR_SCENARIO_NOT_FOUND', `no scenario or suite at ${shown(direct)}`);
}

export async function importDefault(file: string): Promise<unknown> {
  resolveCrucibleToThisHarness();
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
      const path = shippedModuleFile(resolve(dirname(file), ref2));
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
