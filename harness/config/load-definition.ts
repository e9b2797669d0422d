import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { CrucibleError } from '../errors/crucible-error.ts';
import { parseThresholds, ThresholdSyntaxError, type ParsedThreshold } from './threshold-parser.ts';
import { projectRoot } from '../util/project-root.ts';
import { SELF_HEALING } from './fault-spec.ts';
import { parseDuration } from './duration.ts';
import { scenarioSchema, suiteSchema } from './scenario-schema.ts';
import type { ScenarioDefinition, SuiteDefinition } from './scenario-types.ts';

export interface LoadedScenario {
  readonly kind: 'scenario';
  /** Absolute path. */
  readonly file: string;
  readonly scenario: ScenarioDefinition;
  readonly thresholds: readonly ParsedThreshold[];
}

export interface LoadedSuite {
  readonly kind: 'suite';
  readonly file: string;
  readonly suite: SuiteDefinition;
  readonly scenarios: readonly LoadedScenario[];
}

export type LoadedDefinition = LoadedScenario | LoadedSuite;

/** Where a path is shown relative to the project, as users wrote it. */
const shown = (file: string): string => {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
};

/** `load.steady.stages[0].target` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(the default export)';
}

export function invalid(file: string, what: 'scenario' | 'suite' | 'config' | 'profile', problems: readonly string[]): CrucibleError {
  return new CrucibleError(
    'CRUCIBLE_ERR_INVALID_SCENARIO',
    `${shown(file)} is not a valid ${what}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`,
    {
      details: problems.map((p) => `${shown(file)}: ${p}`),
      ...(what === 'profile'
        ? { hint: 'Fix each field listed above; docs/security.md#target-profiles and harness/security/target-profile.ts describe every field.' }
        : {}),
    },
  );
}

/** zod's message, plus the offending value when zod did not already say it (users fix faster seeing it). */
export function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const input = (i as { input?: unknown }).input;
    const shownInput = input === undefined ? undefined : typeof input === 'function' ? 'a function' : JSON.stringify(input);
    const message =
      input === undefined && /expected/.test(i.message) && i.code !== 'unrecognized_keys'
        ? `${i.message.replace(/, got undefined$/, '')} (missing)`
        : i.message;
    const got =
      shownInput && shownInput.length <= 60 && !message.includes(shownInput) && i.code !== 'unrecognized_keys' && i.code !== 'invalid_union'
        ? `, got ${shownInput}`
        : '';
    return `${formatPath(i.path)}: ${message}${got}`;
  });
}

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

/** What the schema cannot say about a chaos experiment: fields that depend on each other. */
function chaosProblems(scenario: ScenarioDefinition): string[] {
  const c = scenario.chaos;
  if (scenario.kind !== 'chaos') return c ? ["chaos: only a scenario of kind chaos runs an experiment (set kind: 'chaos')"] : [];
  if (!c) return ['chaos: a chaos scenario needs chaos: { steadyState, method }'];
  const problems: string[] = [];
  const names = c.steadyState.probes.map((p) => p.name);
  for (const [i, n] of names.entries()) if (names.indexOf(n) !== i) problems.push(`chaos.steadyState.probes[${i}].name: '${n}' is used twice`);
  for (const [i, a] of (c.abort ?? []).entries())
    if (!names.includes(a.probe)) problems.push(`chaos.abort[${i}].probe: no steady-state probe named '${a.probe}' (probes: ${names.join(', ')})`);
  const windowMs = parseDuration(c.steadyState.window ?? '1s');
  const before = windowMs * (c.steadyState.recoverWindows ?? 5);
  for (const [i, step] of c.method.entries()) {
    if (!SELF_HEALING.has(step.fault.type) && step.duration === undefined)
      problems.push(`chaos.method[${i}].duration: a ${step.fault.type} fault needs a duration (it is reverted when it ends)`);
    if (parseDuration(step.at) < before)
      problems.push(
        `chaos.method[${i}].at: expected at least ${before / 1000} s (recoverWindows × window), so the steady state is checked before the first fault, got ${JSON.stringify(step.at)}`,
      );
    if (step.repeat && step.duration !== undefined && parseDuration(step.repeat.every) <= parseDuration(step.duration))
      problems.push(
        `chaos.method[${i}].repeat.every: expected longer than the duration (${JSON.stringify(step.duration)}), so one injection ends before the next`,
      );
  }
  return problems;
}

function checkScenario(file: string, value: unknown): LoadedScenario {
  const parsed = scenarioSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw invalid(file, 'scenario', zodProblems(parsed.error));
  const scenario = value as ScenarioDefinition;
  const problems: string[] = [];
  const flowNames = Object.keys(scenario.flows);
  for (const [name, ex] of Object.entries(scenario.load)) {
    for (const flow of Object.keys(ex.flows ?? {}))
      if (!flowNames.includes(flow)) problems.push(`load.${name}.flows.${flow}: no flow named '${flow}' (flows: ${flowNames.join(', ')})`);
    if ((ex.executor === 'constant-arrival-rate' || ex.executor === 'ramping-arrival-rate') && ex.maxVUs !== undefined && ex.maxVUs < ex.preAllocatedVUs)
      problems.push(`load.${name}.maxVUs: expected at least preAllocatedVUs (${ex.preAllocatedVUs}), got ${ex.maxVUs}`);
  }
  if (scenario.kind === 'stress' && !Object.values(scenario.load).some((e) => e.executor === 'ramping-arrival-rate'))
    problems.push('load: a stress scenario needs a ramping-arrival-rate load scenario (the rate it ramps until the SLOs break)');
  problems.push(...chaosProblems(scenario));
  let thresholds: ParsedThreshold[] = [];
  try {
    thresholds = parseThresholds(scenario.thresholds ?? {});
  } catch (err) {
    if (!(err instanceof ThresholdSyntaxError)) throw err;
    problems.push(`${err.path}: ${err.message}`);
  }
  if (problems.length > 0) throw invalid(file, 'scenario', problems);
  return { kind: 'scenario', file, scenario, thresholds };
}

/**
 * Imports a scenario or suite file and validates it whole; every problem is reported at once, each
 * with the file and the field path, before anything starts (exit 2).
 */
export async function loadDefinition(ref: string): Promise<LoadedDefinition> {
  const file = resolveDefinitionPath(ref);
  const value = await importDefault(file);
  const tag = (value as { __crucible?: unknown } | undefined)?.__crucible;
  if (tag === 'scenario') return checkScenario(file, value);
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
      const loaded = await loadDefinition(path);
      if (loaded.kind !== 'scenario') problems.push(`scenarios[${i}]: ${shown(path)} is a suite; suites list scenario files`);
      else scenarios.push(loaded);
    }
    if (problems.length > 0) throw invalid(file, 'suite', problems);
    return { kind: 'suite', file, suite, scenarios };
  }
  throw invalid(file, 'scenario', ['(the default export): expected export default defineScenario({...}) or defineSuite({...})']);
}
