import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedScenario } from '../config/load-definition.ts';
import type { ResolvedScenario } from '../config/resolved-scenario.ts';
import { resolvePlan } from '../load/resolve-plan.ts';
import type { EngineResult, IntervalSnapshot, LoadEngine, MetricsView } from '../load/engine-types.ts';
import { collectPlatformMetrics } from '../metrics/platform-metrics.ts';
import type { ChaosAnalysis, RunSummary } from '../result/summary-model.ts';
import { writeRunReports } from '../report/write-run-reports.ts';
import type { RunTarget } from '../targets/run-target.ts';
import { ChaosExperiment } from './chaos-experiment.ts';
import type { ProgressWriter } from './live-progress.ts';
import { newRunId } from './run-id.ts';
import { RunWatch } from './run-watch.ts';
import { measuredWindow, summarizeRun } from './summarize-run.ts';

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

/**
 * One scenario, start to verdict: plan, load (thresholds with abortOnFail and the stress stop rule
 * checked every interval), platform metrics from Prometheus over the run window, analyses, SLOs,
 * the summary and every report file. Ctrl-C (the signal) still yields a partial report, marked aborted.
 */
export async function runScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const { scenario } = loaded;
  const { thresholds } = scenario;
  const runId = newRunId(scenario.name);
  const runDir = join(opts.reportsDir, runId);
  const { engine, scenarioFile } = opts.engine({ runDir, scenario });
  const plan = resolvePlan(scenario, { baseUrl: opts.target.baseUrl, scenarioFile, ...(opts.workers ? { workers: opts.workers } : {}) });
  mkdirSync(runDir, { recursive: true });
  const watch = new RunWatch({ thresholds, intervalMs: plan.intervalMs, ...(scenario.kind === 'stress' ? { stress: scenario.stress } : {}) });

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  opts.signal.addEventListener('abort', onSignal, { once: true });

  const onInterval = (s: IntervalSnapshot, view: MetricsView): void => {
    const why = watch.observe(s, view, stop.signal.aborted);
    if (why?.kind === 'threshold') opts.log?.(`threshold ${why.threshold.selector.key} ${why.threshold.expression} failed with abortOnFail: stopping the run`);
    if (why) stop.abort();
    const { abortedBy, stressStopped } = watch;
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

  const { window } = measuredWindow(scenario, result);
  opts.log?.('collecting platform metrics from Prometheus');
  const platform = await collectPlatformMetrics(opts.target.prometheus, window);
  const summary = summarizeRun({
    runId,
    loaded,
    plan,
    ...(opts.suite ? { suite: opts.suite } : {}),
    target: { kind: opts.target.kind, baseUrl: opts.target.baseUrl },
    engine: { name: engine.name },
    result,
    watch,
    platform,
    ...(chaosAnalysis ? { chaos: chaosAnalysis } : {}),
    interrupted: opts.signal.aborted,
  });
  await writeRunReports(runDir, summary);
  return { summary, runDir };
}
