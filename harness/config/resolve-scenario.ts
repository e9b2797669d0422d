import { dirname, resolve } from 'node:path';
import { deepFreeze } from './deep-freeze.ts';
import { parseDuration } from './duration.ts';
import { invalid } from './definition-errors.ts';
import { resolveChaos } from './resolve-chaos.ts';
import { resolveFlows, resolveLoad } from './resolve-load.ts';
import type { ResolvedScenario } from './resolved-scenario.ts';
import { SCENARIO_DEFAULTS } from './scenario-defaults.ts';
import { crossFieldProblems, schemaProblems } from './scenario-problems.ts';
import { scenarioSchema } from './scenario-schema.ts';
import type { HttpOptions, ScenarioExport, SloOptions } from './scenario-types.ts';
import { parseThresholds, ThresholdSyntaxError, type ParsedThreshold } from './threshold-parser.ts';
import { withDefaults } from './with-defaults.ts';

const D = SCENARIO_DEFAULTS;

export interface ResolveOptions {
  /** The scenario file (absolute): problems name it, and the k6 script is relative to it. */
  readonly file: string;
  /** crucible.config.ts's SLOs: they override the roadmap's, and the scenario's override them. */
  readonly slos?: SloOptions | undefined;
}

function build(def: ScenarioExport, o: ResolveOptions, thresholds: readonly ParsedThreshold[]): ResolvedScenario {
  const flows = resolveFlows(def.flows);
  const slos = withDefaults<SloOptions>(D.slos, o.slos, def.slos || undefined);
  const base = {
    file: o.file,
    name: def.name,
    description: def.description,
    tags: [...(def.tags ?? [])],
    data: def.data,
    flows,
    ...resolveLoad(def.load, flows),
    thresholds,
    slos: def.slos === false ? (false as const) : slos,
    http: withDefaults<HttpOptions>(D.http, def.http),
    k6Script: def.k6 ? resolve(dirname(o.file), def.k6.script) : undefined,
  };
  switch (def.kind) {
    case 'load':
    case 'pentest':
      return { ...base, kind: def.kind };
    case 'soak': {
      const soak = withDefaults(D.soak, def.soak);
      const burstErrorRate = Math.max(D.soakBurst.minBurstErrorRate, slos.errorRate * D.soakBurst.factor);
      return { ...base, kind: def.kind, soak: { ...soak, burstErrorRate } };
    }
    case 'stress': {
      const stress = withDefaults(D.stress, def.stress);
      // A stress run is meant to break the SLOs: they judge its windows, not its verdict.
      return {
        ...base,
        kind: def.kind,
        slos: false,
        stress: {
          windowMs: parseDuration(stress.window),
          p95Ms: slos.p95Ms,
          errorRate: slos.errorRate,
          minAchievedRatio: stress.minAchievedRatio,
          brokenWindows: stress.stopAfterBrokenWindows,
        },
      };
    }
    case 'chaos':
      // A chaos run is judged on recovery, availability and data loss; on load SLOs only when it sets them.
      return { ...base, kind: def.kind, slos: def.slos ? slos : false, chaos: resolveChaos(def.chaos) };
  }
}

/**
 * Validates a scenario file's default export whole and resolves it: every default applied (the
 * roadmap's for SLOs and chaos expectations, scenario-defaults.ts for the rest), durations in ms,
 * the method's steps expanded, deep-frozen. Every problem is reported at once, each naming the
 * file and the field (CRUCIBLE_ERR_INVALID_SCENARIO, exit 2).
 */
export function resolveScenario(value: unknown, o: ResolveOptions): ResolvedScenario {
  const parsed = scenarioSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw invalid(o.file, 'scenario', schemaProblems(parsed.error, value));
  // The export itself, not zod's copy: its flows and data() are the file's own functions.
  const def = value as ScenarioExport;
  const problems: string[] = [];
  let thresholds: ParsedThreshold[] = [];
  try {
    thresholds = parseThresholds(def.thresholds ?? {});
  } catch (err) {
    if (!(err instanceof ThresholdSyntaxError)) throw err;
    problems.push(`${err.path}: ${err.message}`);
  }
  const resolved = build(def, o, thresholds);
  problems.unshift(...crossFieldProblems(def, resolved));
  if (problems.length > 0) throw invalid(o.file, 'scenario', problems);
  return deepFreeze(resolved);
}
