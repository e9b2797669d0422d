import type { z } from 'zod';
import { zodProblem } from './definition-errors.ts';
import { parseDuration } from './duration.ts';
import { SELF_HEALING } from './fault-spec.ts';
import type { ResolvedScenario } from './resolved-scenario.ts';
import { KIND_OPTIONS } from './scenario-schema.ts';
import type { ScenarioExport, ScenarioKind } from './scenario-types.ts';

const isKindOption = (key: string): key is keyof typeof KIND_OPTIONS => Object.hasOwn(KIND_OPTIONS, key);

function misplaced(key: keyof typeof KIND_OPTIONS, kind: unknown): string {
  const owner: ScenarioKind = KIND_OPTIONS[key];
  const what = owner === 'chaos' ? 'runs an experiment' : `takes ${key} options`;
  return `${key}: only a scenario of kind ${owner} ${what} (this one is kind ${typeof kind === 'string' ? kind : JSON.stringify(kind)}; set kind: '${owner}')`;
}

/**
 * The schema's problems, each naming its field. A kind's own option on another kind (`soak` on a
 * load scenario) is said as such, not as zod's "unrecognized key" of the whole export.
 */
export function schemaProblems(error: z.ZodError, value: unknown): string[] {
  const kind = (value as { kind?: unknown }).kind;
  return error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys' || issue.path.length > 0 || !issue.keys.some(isKindOption)) return [zodProblem(issue)];
    const others = issue.keys.filter((k) => !isKindOption(k));
    const rest =
      others.length > 0
        ? [
            zodProblem({
              ...issue,
              keys: others,
              message: `Unrecognized key${others.length > 1 ? 's' : ''}: ${others.map((k) => JSON.stringify(k)).join(', ')}`,
            }),
          ]
        : [];
    return [...issue.keys.filter(isKindOption).map((k) => misplaced(k, kind)), ...rest];
  });
}

/** What the schema cannot say: fields that depend on each other. Paths name the file's fields. */
export function crossFieldProblems(def: ScenarioExport, resolved: ResolvedScenario): string[] {
  const problems: string[] = [];
  const flowNames = Object.keys(resolved.flows);
  for (const [name, ex] of Object.entries(def.load)) {
    for (const flow of Object.keys(ex.flows ?? {}))
      if (!flowNames.includes(flow)) problems.push(`load.${name}.flows.${flow}: no flow named '${flow}' (flows: ${flowNames.join(', ')})`);
    if ((ex.executor === 'constant-arrival-rate' || ex.executor === 'ramping-arrival-rate') && ex.maxVUs !== undefined && ex.maxVUs < ex.preAllocatedVUs)
      problems.push(`load.${name}.maxVUs: expected at least preAllocatedVUs (${ex.preAllocatedVUs}), got ${ex.maxVUs}`);
  }
  if (resolved.kind === 'stress' && !resolved.load.some((e) => e.executor === 'ramping-arrival-rate'))
    problems.push('load: a stress scenario needs a ramping-arrival-rate load scenario (the rate it ramps until the SLOs break)');
  if (def.kind === 'chaos' && resolved.kind === 'chaos') problems.push(...chaosProblems(def, resolved));
  return problems;
}

function chaosProblems(def: Extract<ScenarioExport, { kind: 'chaos' }>, resolved: Extract<ResolvedScenario, { kind: 'chaos' }>): string[] {
  const problems: string[] = [];
  const c = resolved.chaos;
  const names = c.steadyState.probes.map((p) => p.name);
  for (const [i, n] of names.entries()) if (names.indexOf(n) !== i) problems.push(`chaos.steadyState.probes[${i}].name: '${n}' is used twice`);
  for (const [i, a] of c.abort.entries())
    if (!names.includes(a.probe)) problems.push(`chaos.abort[${i}].probe: no steady-state probe named '${a.probe}' (probes: ${names.join(', ')})`);
  const before = c.steadyState.windowMs * c.steadyState.recoverWindows;
  for (const [i, step] of def.chaos.method.entries()) {
    const first = c.faults.find((f) => f.id === `${i}.0`);
    if (!first) continue;
    const unhealed = [first.spec, ...Object.values(first.on ?? {})].find((f) => !SELF_HEALING.has(f.type));
    if (unhealed && first.durationMs === undefined)
      problems.push(`chaos.method[${i}].duration: a ${unhealed.type} fault needs a duration (it is reverted when it ends)`);
    if (first.atMs < before)
      problems.push(
        `chaos.method[${i}].at: expected at least ${before / 1000} s (recoverWindows × window), so the steady state is checked before the first fault, got ${JSON.stringify(step.at)}`,
      );
    if (step.repeat && first.durationMs !== undefined && parseDuration(step.repeat.every) <= first.durationMs)
      problems.push(
        `chaos.method[${i}].repeat.every: expected longer than the duration (${JSON.stringify(step.duration)}), so one injection ends before the next`,
      );
  }
  return problems;
}
