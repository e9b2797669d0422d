import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedScenario } from '../config/load-definition.ts';
import { SLO_TAG, type ResolvedScenario } from '../config/resolved-scenario.ts';
import { resolvePlan } from '../load/resolve-plan.ts';
import type { EngineResult, IntervalSnapshot, LoadEngine, MetricsView } from '../load/engine-types.ts';
import { analyzeSoak } from '../measure/soak-analysis.ts';
import { analyzeStress, sustainedBreakSoFar, type FailureSeries } from '../measure/stress-analysis.ts';
import { collectPlatformMetrics } from '../metrics/platform-metrics.ts';
import { evaluateThresholds, thresholdToAbortOn } from '../metrics/threshold-evaluator.ts';
import type { ParsedThreshold } from '../config/threshold-parser.ts';
import type { ChaosAnalysis, RunSummary, ThresholdResult } from '../result/summary-model.ts';
import { judgeRun } from '../result/verdict.ts';
import { writeRunReports } from '../report/write-run-reports.ts';
import type { RunTarget } from '../targets/run-target.ts';
import { buildSummary } from './build-summary.ts';
import { ChaosExperiment } from './chaos-experiment.ts';
import type { ProgressWriter } from './live-progress.ts';
import { newRunId } from './run-id.ts';
import { evaluateSlos } from './slo-evaluation.ts';

/** Which engine runs a scenario, and the file it runs (the scenario itself, or its k6 script). */
export type EngineChoice = (ctx: { readonly runDir: string; readonly scenario: ResolvedScenario }) => {
  readonly engine: LoadEngine;
  readonly scenarioFile: string;
};

export interface RunOptions {
  readonly target: RunTarget;
  readonly engine: EngineChoice;
  /** The folder this run's folder goes into (reports/, or a suite's folder). */
  readonly reportsDir: string;
  readonly signal: AbortSignal;
  readonly workers?: number;
  readonly progress?: ProgressWriter;
  readonly suite?: string;
  readonly log?: (line: string) => void;
}

export interface RunOutcome {
  readonly summary: RunSummary;
  readonly runDir: string;
}

/** Per-interval failure counts, from cumulative status counters sampled every interval. */
class FailureTracker {
  readonly series: { shed: number[]; noResponse: number[]; failed: number[]; requests: number[] } = { shed: [], noResponse: [], failed: [], requests: [] };
  private prev = { shed: 0, noResponse: 0, failed: 0, requests: 0 };

  sample(view: MetricsView): void {
    const count = (status: string): number => view.counter('http_reqs', { status })?.count ?? 0;
    const now = {
      shed: count('429') + count('503'),
      noResponse: count('0'),
      failed: view.rate('http_req_failed')?.passes ?? 0,
      requests: view.counter('http_reqs')?.count ?? 0,
    };
    for (const k of Object.keys(now) as (keyof typeof now)[]) this.series[k].push(now[k] - this.prev[k]);
    this.prev = now;
  }

  /** Aligned with the engine's series (the engine may emit one more or fewer interval than we sampled). */
  aligned(n: number): FailureSeries {
    const fit = (xs: number[]): number[] => Array.from({ length: n }, (_, i) => xs[i] ?? 0);
    return { shed: fit(this.series.shed), noResponse: fit(this.series.noResponse), failed: fit(this.series.failed), requests: fit(this.series.requests) };
  }
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

/**
 * One scenario, start to verdict: plan, load (thresholds with abortOnFail and the stress stop rule
 * checked every interval), platform metrics from Prometheus over the run window, analyses, SLOs,
 * the summary and every report file. Ctrl-C (the signal) still yields a partial report, marked aborted.
 */
export async function runScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const { scenario, file } = loaded;
  const { thresholds } = scenario;
  const runId = newRunId(scenario.name);
  const runDir = join(opts.reportsDir, runId);
  const { engine, scenarioFile } = opts.engine({ runDir, scenario });
  const plan = resolvePlan(scenario, { baseUrl: opts.target.baseUrl, scenarioFile, ...(opts.workers ? { workers: opts.workers } : {}) });
  mkdirSync(runDir, { recursive: true });

  const stop = new AbortController();
  let abortedBy: ParsedThreshold | undefined;
  let stressStopped = false;
  const onSignal = (): void => stop.abort();
  opts.signal.addEventListener('abort', onSignal, { once: true });
  const failures = new FailureTracker();
  const recent: IntervalSnapshot[] = [];

  const onInterval = (s: IntervalSnapshot, view: MetricsView): void => {
    failures.sample(view);
    if (scenario.kind === 'stress') recent.push(s);
    if (!abortedBy && !stop.signal.aborted) {
      abortedBy = thresholdToAbortOn(view, thresholds, s.elapsedMs);
      if (abortedBy) {
        opts.log?.(`threshold ${abortedBy.selector.key} ${abortedBy.expression} failed with abortOnFail: stopping the run`);
        stop.abort();
      } else if (scenario.kind === 'stress' && sustainedBreakSoFar(recent, plan.intervalMs, scenario.stress)) {
        // Past the breaking point there is nothing more to learn; stop before the platform drowns.
        stressStopped = true;
        stop.abort();
      }
    }
    opts.progress?.update(
      s,
      abortedBy ? `ABORTING: ${abortedBy.selector.key} ${abortedBy.expression}` : stressStopped ? 'breaking point found: stopping' : undefined,
    );
  };

  let result: EngineResult;
  let chaosAnalysis: ChaosAnalysis | undefined;
  {
    // A chaos scenario's experiment runs beside the load, on the load's clock. Every path (an engine
    // error, a broken hook) still rolls every fault back: the experiment is disposed at the block's end.
    await using chaos =
      scenario.kind === 'chaos'
        ? await ChaosExperiment.create({
            scenario,
            runId,
            runDir,
            target: opts.target,
            stopLoad: () => stop.abort(),
            ...(opts.log ? { log: opts.log } : {}),
          })
        : undefined;
    try {
      result = await engine.run(plan, { signal: stop.signal, onInterval, ...(chaos ? { onStart: (t0: number) => chaos.start(t0) } : {}) });
    } finally {
      opts.signal.removeEventListener('abort', onSignal);
      opts.progress?.done();
    }
    if (chaos) {
      opts.log?.('load done: rolling back every fault and waiting for the steady state');
      chaosAnalysis = await chaos.finish(opts.signal);
    }
  }

  const interrupted = opts.signal.aborted;
  // With a warm-up, the SLOs judge the steady state: the platform window starts when it ends.
  const warmupMs = scenario.warmupEndMs === undefined ? undefined : Math.min(scenario.warmupEndMs, result.durationMs);
  const window = { startMs: result.startedAtMs + (warmupMs ?? 0), endMs: result.startedAtMs + result.durationMs };
  opts.log?.('collecting platform metrics from Prometheus');
  const platform = await collectPlatformMetrics(opts.target.prometheus, window);
  const notes: string[] = [];
  if (!platform.available) notes.push(`Platform metrics unavailable: ${platform.error ?? 'unknown reason'}`);
  if (stressStopped) notes.push('The stress ramp stopped early: the SLOs broke for several windows in a row (the breaking point was found).');

  const stress = scenario.kind === 'stress' ? analyzeStress(result.series, failures.aligned(result.series.t.length), scenario.stress) : undefined;
  const soak = scenario.kind === 'soak' ? { analysis: analyzeSoak(result.series, platform.rssMb, scenario.soak), ...scenario.soak } : undefined;
  // Under k6, k6 judged the thresholds itself (with all its samples); its verdicts are the ones to report.
  const k6Verdicts = (result as { k6?: { thresholds: readonly ThresholdResult[] } }).k6?.thresholds;
  const thresholdResults = k6Verdicts ?? evaluateThresholds(result.view, thresholds, abortedBy);
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
  const verdict = judgeRun(
    { thresholds: thresholdResults, slos: sloResults, ...(chaosAnalysis ? { chaos: chaosAnalysis } : {}) },
    interrupted ? { kind: 'interrupted', reason: abortReason ?? 'signal' } : { kind: 'completed' },
  );
  const summary = buildSummary({
    runId,
    file,
    scenario,
    ...(opts.suite ? { suite: opts.suite } : {}),
    target: { kind: opts.target.kind, baseUrl: opts.target.baseUrl },
    engine: { name: engine.name },
    result,
    thresholds,
    thresholdResults,
    slos: sloResults,
    verdict,
    ...(abortReason ? { abortReason } : {}),
    platform,
    ...(stress ? { stress } : {}),
    ...(soak ? { soak: soak.analysis } : {}),
    ...(chaosAnalysis ? { chaos: chaosAnalysis } : {}),
    notes: notesFor(result, notes),
  });
  await writeRunReports(runDir, summary);
  return { summary, runDir };
}
