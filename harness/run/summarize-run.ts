import type { LoadedScenario } from '../config/load-definition.ts';
import { SLO_TAG, type ResolvedScenario } from '../config/resolved-scenario.ts';
import type { EngineResult, LoadPlan } from '../load/engine-types.ts';
import { analyzeSoak } from '../measure/soak-analysis.ts';
import { analyzeStress } from '../measure/stress-analysis.ts';
import type { RunWindow } from '../metrics/platform-metrics.ts';
import { evaluateThresholds } from '../metrics/threshold-evaluator.ts';
import type { ChaosAnalysis, PlatformMetrics, RunSummary, ThresholdResult } from '../result/summary-model.ts';
import { judgeRun } from '../result/verdict.ts';
import { buildSummary } from './build-summary.ts';
import type { RunWatch } from './run-watch.ts';
import { evaluateSlos } from './slo-evaluation.ts';

/**
 * The part of the run the SLOs and the platform figures judge (epoch ms): with a warm-up, from its
 * end (`warmupMs`, undefined without one).
 */
export function measuredWindow(scenario: ResolvedScenario, result: EngineResult): { readonly warmupMs: number | undefined; readonly window: RunWindow } {
  const warmupMs = scenario.warmupEndMs === undefined ? undefined : Math.min(scenario.warmupEndMs, result.durationMs);
  return { warmupMs, window: { startMs: result.startedAtMs + (warmupMs ?? 0), endMs: result.startedAtMs + result.durationMs } };
}

export interface ScenarioRunParts {
  readonly runId: string;
  readonly loaded: LoadedScenario;
  readonly plan: LoadPlan;
  readonly suite?: string;
  readonly target: { readonly kind: string; readonly baseUrl: string };
  readonly engine: { readonly name: 'crucible' | 'k6' };
  readonly result: EngineResult;
  /** What the run watched on every interval: failure counts, the threshold that aborted it, the stress stop. */
  readonly watch: RunWatch;
  readonly platform: PlatformMetrics;
  readonly chaos?: ChaosAnalysis;
  /** Stopped by a signal (Ctrl-C, SIGTERM). */
  readonly interrupted: boolean;
}

/**
 * Everything after the load of a scenario run, with no I/O: the stress and soak analyses, the
 * thresholds, the SLOs, the verdict and the summary. `crucible run` calls it with what it measured;
 * the sample summaries (fixtures/reports) call it with what they simulated.
 */
export function summarizeRun(p: ScenarioRunParts): RunSummary {
  const { file, scenario } = p.loaded;
  const { result, plan, platform, watch, interrupted } = p;
  const { abortedBy, stressStopped } = watch;
  const { warmupMs } = measuredWindow(scenario, result);
  const notes: string[] = [];
  if (!platform.available) notes.push(`Platform metrics unavailable: ${platform.error ?? 'unknown reason'}`);
  if (stressStopped) notes.push('The stress ramp stopped early: the SLOs broke for several windows in a row (the breaking point was found).');

  const stress = scenario.kind === 'stress' ? analyzeStress(result.series, watch.failures.aligned(result.series.t.length), scenario.stress) : undefined;
  const soak = scenario.kind === 'soak' ? { analysis: analyzeSoak(result.series, platform.rssMb, scenario.soak), ...scenario.soak } : undefined;
  // Under k6, k6 judged the thresholds itself (with all its samples); its verdicts are the ones to report.
  const k6 = (result as { k6?: { thresholds: readonly ThresholdResult[]; notes: readonly string[] } }).k6;
  const k6Verdicts = k6?.thresholds;
  // What the k6 adapter could not take from k6's files (an error rate not measured, rates rederived) is the reader's to know.
  for (const n of k6?.notes ?? []) notes.push(`k6: ${n}`);
  const thresholdResults = k6Verdicts ?? evaluateThresholds(result.view, scenario.thresholds, abortedBy);
  const openModel = plan.executors.some((e) => e.executor.endsWith('arrival-rate'));
  // Whether SLOs judge the run was resolved with the scenario (not a stress run, nor a chaos run that sets none).
  const sloResults =
    scenario.slos === false
      ? []
      : evaluateSlos({
          view: result.view,
          slos: scenario.slos,
          openModel,
          droppedIterations: result.droppedIterations,
          platform,
          ...(warmupMs !== undefined ? { filter: { [SLO_TAG]: 'measured' }, scope: `measured after the ${(warmupMs / 1000).toFixed(0)} s warm-up` } : {}),
          ...(soak ? { soak } : {}),
        });

  const abortReason = interrupted
    ? 'signal: interrupted (Ctrl-C or SIGTERM)'
    : abortedBy
      ? `threshold: ${abortedBy.selector.key} ${abortedBy.expression} failed (abortOnFail)`
      : undefined;
  // A lost load pod's segment is missing from the merged figures: the run did not deliver its plan, so it cannot pass (docs/distributed.md).
  const lost = (result.pods ?? []).filter((pod) => pod.status === 'lost');
  const lostReason = lost
    .map((pod) => `load pod ${pod.index} of ${result.pods!.length} lost at ${((pod.lostAtMs ?? 0) / 1000).toFixed(1)} s (${pod.reason})`)
    .join('; ');
  const verdict = judgeRun(
    { thresholds: thresholdResults, slos: sloResults, ...(p.chaos ? { chaos: p.chaos } : {}) },
    interrupted
      ? { kind: 'interrupted', reason: abortReason ?? 'signal' }
      : lost.length > 0
        ? { kind: 'error', reason: `${lostReason}: its segment's load is missing from the results` }
        : { kind: 'completed' },
  );
  return buildSummary({
    runId: p.runId,
    file,
    scenario,
    ...(p.suite ? { suite: p.suite } : {}),
    target: p.target,
    engine: p.engine,
    result,
    thresholds: scenario.thresholds,
    thresholdResults,
    slos: sloResults,
    verdict,
    ...(abortReason ? { abortReason } : {}),
    platform,
    ...(stress ? { stress } : {}),
    ...(soak ? { soak: soak.analysis } : {}),
    ...(p.chaos ? { chaos: p.chaos } : {}),
    notes: notesFor(result, notes),
  });
}

function notesFor(result: EngineResult, extra: string[]): string[] {
  const notes = [...extra];
  if (result.droppedIterations > 0)
    notes.unshift(
      `DROPPED ${result.droppedIterations} iterations: the load generator could not start them on time (all VUs busy at maxVUs). The platform saw less load than asked for; raise maxVUs.`,
    );
  const errors = Object.entries(result.flowErrors).sort((a, b) => b[1] - a[1]);
  if (errors.length > 0)
    notes.push(
      `Flows threw ${errors.reduce((s, [, n]) => s + n, 0)} times: ${errors
        .slice(0, 3)
        .map(([m, n]) => `${n}× ${m}`)
        .join('; ')}`,
    );
  return notes;
}
