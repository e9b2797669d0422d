import type { EngineHooks, EngineResult, LoadEngine, LoadPlan } from '../engine-types.ts';
import { systemClock } from '../../util/clock.ts';
import { buildEngineResult } from './engine-result.ts';
import { plannedDurationMs } from './executor-timing.ts';
import { IntervalAggregator } from './interval-aggregator.ts';
import { MetricStore } from './metric-store.ts';
import { WorkerThreads } from './worker-threads.ts';

/** Time between "start" and time zero: lets every worker receive the message before the first arrival is due. */
const START_DELAY_MS = 25;
/** Past the plan's end (or the graceful stop after an abort), workers still running are terminated. */
const DEADLINE_SLACK_MS = 15_000;
/** A finished worker has this long to exit on its own before it is terminated. */
const EXIT_GRACE_MS = 5_000;

function checkPlan(plan: LoadPlan): void {
  if (!Number.isInteger(plan.workers) || plan.workers < 1) throw new Error(`LoadPlan.workers must be a positive integer, got ${plan.workers}`);
  if (!(plan.intervalMs > 0)) throw new Error(`LoadPlan.intervalMs must be positive, got ${plan.intervalMs}`);
  if (!(plan.http.connections >= 1)) throw new Error(`LoadPlan.http.connections must be at least 1, got ${plan.http.connections}`);
  if (plan.executors.length === 0) throw new Error('LoadPlan.executors is empty: nothing to run');
}

async function runPlan(plan: LoadPlan, hooks: EngineHooks = {}): Promise<EngineResult> {
  checkPlan(plan);
  const clock = systemClock;
  const store = new MetricStore();
  const aggregator = new IntervalAggregator(plan, store, plan.workers);
  // No thread outlives the run: a worker that has not exited on its own is terminated.
  await using threads = new WorkerThreads(plan, { clock, graceMs: EXIT_GRACE_MS });
  const workers = threads.handles;
  const signal = hooks.signal;
  let hookError: unknown;
  let stoppedEarly = false;
  let t0 = clock.monotonicMs();
  let startedAtMs = clock.epochMs();

  const stopAll = (): void => {
    aggregator.markStopped();
    for (const w of workers) w.post({ type: 'stop' });
  };
  const publish = (snapshots: ReturnType<IntervalAggregator['accept']>): void => {
    for (const s of snapshots) {
      try {
        hooks.onInterval?.(s, store);
      } catch (err) {
        // A broken hook stops the run; its error is what the caller gets.
        if (hookError === undefined) stopAll();
        hookError ??= err;
      }
    }
  };

  // Loading: an abort here ends everything at once (there is nothing measured to keep).
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal?.aborted) resolve('aborted');
    signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  if ((await Promise.race([Promise.all(workers.map((w) => w.ready)), aborted])) === 'aborted') {
    return buildEngineResult({ plan, store, series: aggregator.series, startedAtMs, durationMs: 0, stoppedEarly: true, flowErrors: {} });
  }

  t0 = clock.monotonicMs() + START_DELAY_MS;
  startedAtMs = clock.epochMs() + START_DELAY_MS;
  hooks.onStart?.(startedAtMs);
  workers.forEach((w, i) => {
    w.onReport = (r, final) => publish(aggregator.accept(i, r, final, clock.monotonicMs() - t0));
    w.post({ type: 'start', t0 });
  });

  // A crashed worker fails the run: stop the others now rather than at the plan's end.
  for (const w of workers) void w.done.then(() => w.error && !stoppedEarly && stopAll());
  const allDone = Promise.all(workers.map((w) => w.done));
  let finished = false;
  void allDone.then(() => (finished = true));
  const onAbort = (): void => {
    if (finished) return;
    stoppedEarly = true;
    stopAll();
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });

  // Workers bound their own runs; this only catches a flow that ignores its signal forever.
  const deadline = new AbortController();
  const maxGraceMs = Math.max(...plan.executors.map((e) => e.gracefulStopMs));
  void (async () => {
    const planEnd = t0 + plannedDurationMs(plan.executors) + DEADLINE_SLACK_MS;
    while (!deadline.signal.aborted && clock.monotonicMs() < planEnd) await clock.sleep(planEnd - clock.monotonicMs(), deadline.signal);
    if (!deadline.signal.aborted) await Promise.all(workers.map((w) => w.terminate()));
  })();
  const onStopDeadline = (): void =>
    void clock.sleep(maxGraceMs + DEADLINE_SLACK_MS, deadline.signal).then(() => {
      if (!deadline.signal.aborted) return Promise.all(workers.map((w) => w.terminate()));
    });
  signal?.addEventListener('abort', onStopDeadline, { once: true });

  await allDone;
  deadline.abort();
  signal?.removeEventListener('abort', onAbort);
  signal?.removeEventListener('abort', onStopDeadline);
  const durationMs = clock.monotonicMs() - t0;
  publish(aggregator.finish(durationMs));

  const crashed = workers.find((w) => w.error);
  if (crashed) throw crashed.error;
  if (hookError !== undefined) throw hookError;
  return buildEngineResult({
    plan,
    store,
    series: aggregator.series,
    startedAtMs,
    durationMs,
    stoppedEarly,
    flowErrors: aggregator.flowErrors.toRecord(),
  });
}

/** The built-in load engine: worker threads, undici pools, HDR histograms (see docs/performance.md). */
export function createBuiltinEngine(): LoadEngine {
  return { name: 'crucible', run: runPlan };
}
