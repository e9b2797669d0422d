import { arrivalTimes } from './arrival-schedule.ts';
import type { ArrivalRateExecutor } from './executor-timing.ts';
import { executorSchedule } from './executor-timing.ts';
import { endIterations, waitForStart, type ExecutorRunner } from './executor-runner.ts';
import type { CounterSeries } from './metric-recorder.ts';
import { runTimeline } from './timeline.ts';
import { VirtualUser, type VuEnv } from './virtual-user.ts';
import { globalIndex, workerShare } from './worker-share.ts';

/**
 * Open model (constant-arrival-rate, ramping-arrival-rate): this worker takes every workers-th
 * arrival of the executor's schedule and starts it at its time on a free VU, whatever the latency.
 * No free VU and maxVUs reached: the iteration is dropped and counted, never delayed.
 */
export class ArrivalExecutor implements ExecutorRunner {
  readonly #config: ArrivalRateExecutor;
  readonly #env: VuEnv;
  readonly #dropped: CounterSeries;
  readonly #worker: number;
  readonly #workers: number;
  readonly #vuIdBase: number;
  readonly #maxVus: number;
  readonly #free: VirtualUser[] = [];
  readonly #busy = new Set<VirtualUser>();
  readonly #stop = new AbortController();
  #allocated = 0;
  #ended = false;
  #idle: (() => void) | undefined;

  constructor(config: ArrivalRateExecutor, env: VuEnv, dropped: CounterSeries, vuIdBase: number, worker: number, workers: number) {
    this.#config = config;
    this.#env = env;
    this.#dropped = dropped;
    this.#worker = worker;
    this.#workers = workers;
    this.#vuIdBase = vuIdBase;
    this.#maxVus = workerShare(Math.max(config.maxVUs, config.preAllocatedVUs), worker, workers);
  }

  get vus(): number {
    return this.#ended ? 0 : this.#allocated;
  }
  get vusMax(): number {
    return this.#allocated;
  }

  stop(): void {
    this.#stop.abort();
  }

  async run(t0: number): Promise<void> {
    const c = this.#config;
    const stop = this.#stop.signal;
    const startAt = await waitForStart(this.#env.clock, t0 + c.startTimeMs, stop);
    if (!stop.aborted) {
      const pre = workerShare(c.preAllocatedVUs, this.#worker, this.#workers);
      while (this.#allocated < pre) this.#free.push(this.#newVu());
      const times = arrivalTimes(executorSchedule(c), this.#worker, this.#workers);
      await runTimeline(times, startAt, this.#env.clock, stop, (due) => this.#arrive(due));
    }
    this.#ended = true;
    if (this.#busy.size > 0) {
      const idle = new Promise<void>((resolve) => (this.#idle = resolve));
      await endIterations(idle, c.gracefulStopMs, () => this.#busy.forEach((vu) => vu.abort()), this.#env);
    }
  }

  #newVu(): VirtualUser {
    return new VirtualUser(this.#env, this.#vuIdBase + globalIndex(this.#allocated++, this.#worker, this.#workers) + 1);
  }

  #arrive(due: number): void {
    const vu = this.#free.pop() ?? (this.#allocated < this.#maxVus ? this.#newVu() : undefined);
    if (!vu) {
      this.#dropped.add(1);
      return;
    }
    this.#busy.add(vu);
    void vu.iterate(due).then(() => {
      this.#busy.delete(vu);
      this.#free.push(vu);
      if (this.#busy.size === 0) this.#idle?.();
    });
  }
}
