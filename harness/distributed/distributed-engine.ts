import { CrucibleError } from '../errors/crucible-error.ts';
import type { EngineHooks, EngineResult, IntervalSnapshot, LoadEngine, LoadPlan } from '../load/engine-types.ts';
import { buildEngineResult } from '../load/engine/engine-result.ts';
import { plannedDurationMs } from '../load/engine/executor-timing.ts';
import { IntervalAggregator } from '../load/engine/interval-aggregator.ts';
import { MetricStore } from '../load/engine/metric-store.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { PodBreakdown } from './pod-breakdown.ts';
import { PodProcess } from './pod-process.ts';

/** Between the release and time zero: every pod reads its start record before the first arrival is due. */
const START_DELAY_MS = 250;
/** Past the plan's end (or the graceful stop after a stop), pods still running are killed. */
const DEADLINE_SLACK_MS = 15_000;
/** A finished pod has this long to exit on its own before it is killed. */
const EXIT_GRACE_MS = 5_000;

export interface DistributedOptions {
  /** Load pods: processes, each running segment i of `pods` of every executor. */
  readonly pods: number;
  /** How long pods may take to load the scenario and report ready. @default 60 s */
  readonly readyTimeoutMs?: number;
  /** Called with each pod's process id once it is started (tests kill one to prove a lost pod is handled). */
  readonly onPodStarted?: (index: number, pid: number | undefined) => void;
  readonly clock?: Clock;
}

/**
 * The coordinator: runs the plan as `pods` load pods (child processes of pod-main.ts, each with its
 * own worker threads), releases them together, and merges their streams as they arrive into the same
 * store and series a single engine fills: every worker of every pod is one reporter of the interval
 * aggregator, so the merged view is what thresholds, abortOnFail and SLOs are judged on, once. Each
 * pod's figures are kept beside it (result.pods). A pod that dies is reported lost; the others run on.
 */
async function runPods(plan: LoadPlan, hooks: EngineHooks, o: DistributedOptions): Promise<EngineResult> {
  if (!Number.isInteger(o.pods) || o.pods < 1) throw new Error(`pods must be a positive integer, got ${o.pods}`);
  if (plan.executors.length === 0) throw new Error('LoadPlan.executors is empty: nothing to run');
  const clock = o.clock ?? systemClock;
  const signal = hooks.signal;
  await using stack = new AsyncDisposableStack();
  const pods: PodProcess[] = [];
  for (let index = 0; index < o.pods; index++) {
    const pod = stack.use(new PodProcess({ plan, index, count: o.pods, clock, graceMs: EXIT_GRACE_MS }));
    pods.push(pod);
    o.onPodStarted?.(index, pod.pid);
  }
  let startedAtMs = clock.epochMs();
  const store = new MetricStore();

  const workers = await podsReady(pods, o.readyTimeoutMs ?? 60_000, clock, signal);
  if (workers === 'aborted') {
    const aggregator = new IntervalAggregator(plan, store, 1);
    return buildEngineResult({ plan, store, series: aggregator.series, startedAtMs, durationMs: 0, stoppedEarly: true, flowErrors: {} });
  }
  const breakdown = new PodBreakdown(workers);
  const aggregator = new IntervalAggregator(plan, store, breakdown.lanes);
  let hookError: unknown;
  let stoppedEarly = false;

  const stopAll = (): void => {
    aggregator.markStopped();
    for (const p of pods) p.post({ v: 1, type: 'stop' });
  };
  const publish = (snapshots: readonly IntervalSnapshot[]): void => {
    for (const s of snapshots) {
      try {
        hooks.onInterval?.(s, store);
      } catch (err) {
        if (hookError === undefined) stopAll();
        hookError ??= err;
      }
    }
  };

  const atEpochMs = clock.epochMs() + START_DELAY_MS;
  const t0 = clock.monotonicMs() + START_DELAY_MS;
  startedAtMs = atEpochMs;
  hooks.onStart?.(startedAtMs);
  const elapsed = (): number => clock.monotonicMs() - t0;
  for (const p of pods) {
    p.onInterval = (r) => publish(aggregator.accept(breakdown.accept(r), r, r.final, elapsed()));
    p.post({ v: 1, type: 'start', atEpochMs });
    // A lost pod's workers send nothing more: their lanes are closed so the merged intervals go on without them.
    void p.done.then(() => {
      if (!p.lost) return;
      breakdown.markLost(p.index, elapsed(), p.lost);
      for (const lane of breakdown.openLanes(p.index)) publish(aggregator.accept(lane.lane, lane.closing, true, elapsed()));
    });
  }

  const allDone = Promise.all(pods.map((p) => p.done));
  let finished = false;
  void allDone.then(() => (finished = true));
  const onAbort = (): void => {
    if (finished) return;
    stoppedEarly = true;
    stopAll();
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });

  // Pods bound their own runs; this only catches one that hangs (a flow ignoring its signal, a stalled process).
  const deadline = new AbortController();
  const killAll = (): void => pods.forEach((p) => p.kill());
  void clock
    .sleep(t0 + plannedDurationMs(plan.executors) + DEADLINE_SLACK_MS - clock.monotonicMs(), deadline.signal)
    .then(() => !deadline.signal.aborted && killAll());
  const maxGraceMs = Math.max(...plan.executors.map((e) => e.gracefulStopMs));
  const onStopDeadline = (): void => void clock.sleep(maxGraceMs + DEADLINE_SLACK_MS, deadline.signal).then(() => !deadline.signal.aborted && killAll());
  signal?.addEventListener('abort', onStopDeadline, { once: true });

  await allDone;
  deadline.abort();
  signal?.removeEventListener('abort', onAbort);
  signal?.removeEventListener('abort', onStopDeadline);
  const durationMs = elapsed();
  publish(aggregator.finish(durationMs));
  if (hookError !== undefined) throw hookError;
  return {
    ...buildEngineResult({ plan, store, series: aggregator.series, startedAtMs, durationMs, stoppedEarly, flowErrors: aggregator.flowErrors.toRecord() }),
    workers: breakdown.lanes,
    pods: breakdown.summaries(stoppedEarly),
  };
}

/** Every pod's worker count once all are ready; 'aborted' when the signal came first. A pod that failed or is late fails the start, with its output. */
async function podsReady(pods: readonly PodProcess[], timeoutMs: number, clock: Clock, signal: AbortSignal | undefined): Promise<number[] | 'aborted'> {
  const cancel = new AbortController();
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal?.aborted) resolve('aborted');
    signal?.addEventListener('abort', () => resolve('aborted'), { once: true, signal: cancel.signal });
  });
  const late = clock.sleep(timeoutMs, cancel.signal).then(() => 'late' as const);
  let outcome: number[] | 'aborted' | 'late' | 'failed';
  try {
    outcome = await Promise.race([Promise.all(pods.map((p) => p.ready)), aborted, late]);
  } catch {
    outcome = 'failed';
  } finally {
    cancel.abort();
  }
  if (outcome !== 'late' && outcome !== 'failed') return outcome;
  const bad = pods.filter((p) => p.workers === undefined);
  throw new CrucibleError('CRUCIBLE_ERR_LOAD_POD_START', `${bad.length} of ${pods.length} load pods did not become ready`, {
    details: bad.flatMap((p) => [
      `pod ${p.index}: ${p.lost ?? (outcome === 'late' ? `not ready within ${timeoutMs / 1000} s` : 'still loading when another pod failed')}`,
      ...p.log.map((l) => `  ${l}`),
    ]),
  });
}

/** The distributed engine: `pods` load processes on this host, one merged result (docs/distributed.md). */
export function createDistributedEngine(o: DistributedOptions): LoadEngine {
  return { name: 'crucible', run: (plan, hooks = {}) => runPods(plan, hooks, o) };
}
