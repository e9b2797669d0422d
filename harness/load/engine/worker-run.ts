import type { LoadPlan } from '../engine-types.ts';
import type { Flow } from '../../config/flow-api.ts';
import type { ResolvedFlow } from '../../config/resolved-scenario.ts';
import { ArrivalExecutor } from './arrival-executor.ts';
import type { Clock } from '../../util/clock.ts';
import { ClosedExecutor } from './closed-executor.ts';
import { executorMaxVus, isArrivalRate } from './executor-timing.ts';
import type { ExecutorRunner } from './executor-runner.ts';
import { FlowErrors } from './flow-errors.ts';
import { FlowScope } from './flow-scope.ts';
import { MetricRecorder } from './metric-recorder.ts';
import { OriginPools } from './origin-pools.ts';
import type { VuEnv } from './virtual-user.ts';
import type { IntervalReport } from './worker-protocol.ts';
import { laneOf, WHOLE_RUN, workerShare } from './worker-share.ts';

function flowFunction(plan: LoadPlan, flows: Readonly<Record<string, ResolvedFlow>>, name: string): Flow<unknown> {
  const flow = flows[name];
  if (!flow) throw new Error(`scenario ${plan.scenarioName} has no flow named ${name} (it has: ${Object.keys(flows).join(', ')})`);
  return flow.run;
}

/**
 * Everything one worker thread runs: its share of every executor, its pools and its recorder.
 * Reports deltas every interval (aligned on the run's time zero) through `report`. Disposing it
 * closes its connections.
 */
export class WorkerRun implements AsyncDisposable {
  readonly recorder = new MetricRecorder();
  readonly flowErrors = new FlowErrors();
  readonly #plan: LoadPlan;
  readonly #clock: Clock;
  readonly #pools: OriginPools;
  readonly #executors: ExecutorRunner[];
  readonly #report: (r: IntervalReport, final: boolean) => void;
  #t0 = 0;
  #index = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    plan: LoadPlan,
    scenarioFlows: Readonly<Record<string, ResolvedFlow>>,
    data: unknown,
    worker: number,
    workers: number,
    clock: Clock,
    report: (r: IntervalReport, final: boolean) => void,
  ) {
    this.#plan = plan;
    this.#clock = clock;
    this.#report = report;
    // Within a load pod, the worker's lane of the whole run's split (worker-share.ts): VU ids and arrivals never collide across pods.
    const { lane, lanes } = laneOf(plan.segment ?? WHOLE_RUN, worker, workers);
    // Executors overlap in time or not; their sum is what the worker may run at once at most.
    const maxVus = plan.executors.reduce((n, e) => n + workerShare(executorMaxVus(e), lane, lanes), 0);
    this.#pools = new OriginPools(plan.http.connections, plan.http.timeoutMs, maxVus);
    let vuIdBase = 0;
    this.#executors = plan.executors.map((e) => {
      const flows = e.flows.map((f) => ({
        name: f.name,
        run: flowFunction(plan, scenarioFlows, f.name),
        scope: new FlowScope(this.recorder, e.name, f.name, e.tags),
      }));
      let sum = 0;
      const env: VuEnv = {
        clock,
        pools: this.#pools,
        baseUrl: plan.baseUrl,
        timeoutMs: plan.http.timeoutMs,
        discardResponseBodies: plan.http.discardResponseBodies,
        seed: plan.seed,
        data,
        scenario: e.name,
        flows,
        flowCdf: Float64Array.from(e.flows, (f) => (sum += f.weight)),
        flowErrors: this.flowErrors,
      };
      const base = vuIdBase;
      // VU ids are unique across executors and workers.
      vuIdBase += executorMaxVus(e);
      return isArrivalRate(e)
        ? new ArrivalExecutor(e, env, this.recorder.counter('dropped_iterations', { ...e.tags, scenario: e.name }), base, lane, lanes)
        : new ClosedExecutor(e, env, base, lane, lanes);
    });
  }

  /** Runs every executor from time zero `t0` until the last one has stopped, then reports a last time. */
  async run(t0: number): Promise<void> {
    this.#t0 = t0;
    this.#scheduleReport();
    try {
      await Promise.all(this.#executors.map((e) => e.run(t0)));
    } finally {
      clearTimeout(this.#timer);
      this.#report(this.#take(Math.max(this.#index, Math.floor((this.#clock.monotonicMs() - t0) / this.#plan.intervalMs))), true);
    }
  }

  stop(): void {
    for (const e of this.#executors) e.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    clearTimeout(this.#timer);
    await this.#pools[Symbol.asyncDispose]();
  }

  #scheduleReport(): void {
    const due = this.#t0 + (this.#index + 1) * this.#plan.intervalMs;
    this.#timer = setTimeout(
      () => {
        this.#report(this.#take(this.#index), false);
        this.#index++;
        this.#scheduleReport();
      },
      Math.max(0, Math.ceil(due - this.#clock.monotonicMs())),
    );
  }

  #take(index: number): IntervalReport {
    const vus = this.#executors.reduce((n, e) => n + e.vus, 0);
    const vusMax = this.#executors.reduce((n, e) => n + e.vusMax, 0);
    return { index, delta: this.recorder.flush(), vus, vusMax, flowErrors: this.flowErrors.drain() };
  }
}
