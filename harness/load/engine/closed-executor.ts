import type { ClosedExecutor as ClosedExecutorConfig } from './executor-timing.ts';
import { executorDurationMs, executorMaxVus } from './executor-timing.ts';
import { endIterations, waitForStart, type ExecutorRunner } from './executor-runner.ts';
import { runTimeline } from './timeline.ts';
import { VirtualUser, type VuEnv } from './virtual-user.ts';
import { vuSteps } from './vu-schedule.ts';
import { globalIndex, workerShare } from './worker-share.ts';

/** How long VUs may run iterations back to back without letting timers and I/O callbacks run. */
const YIELD_EVERY_MS = 50;

interface Slot {
  readonly vu: VirtualUser;
  /** Global index within the executor: the slot is wanted while the VU target exceeds it. */
  readonly index: number;
  wanted: boolean;
  loop: Promise<void> | undefined;
  /** Cancels the ramp-down grace timer when the loop ends in time. */
  grace: AbortController | undefined;
}

/**
 * Closed model (constant-vus, ramping-vus): each wanted VU loops iterations. A VU no longer wanted
 * (ramp down, end of the executor) finishes its current iteration; one still running after the
 * graceful stop is aborted.
 */
export class ClosedExecutor implements ExecutorRunner {
  readonly #config: ClosedExecutorConfig;
  readonly #env: VuEnv;
  readonly #slots: Slot[];
  readonly #stop = new AbortController();
  #looping = 0;

  constructor(config: ClosedExecutorConfig, env: VuEnv, vuIdBase: number, worker: number, workers: number) {
    this.#config = config;
    this.#env = env;
    this.#slots = Array.from({ length: workerShare(executorMaxVus(config), worker, workers) }, (_, k) => {
      const index = globalIndex(k, worker, workers);
      return { vu: new VirtualUser(env, vuIdBase + index + 1), index, wanted: false, loop: undefined, grace: undefined };
    });
  }

  get vus(): number {
    return this.#looping;
  }
  get vusMax(): number {
    return this.#slots.length;
  }

  stop(): void {
    this.#stop.abort();
  }

  async run(t0: number): Promise<void> {
    const { clock } = this.#env;
    const c = this.#config;
    const stop = this.#stop.signal;
    const startAt = await waitForStart(clock, t0 + c.startTimeMs, stop);
    const endAt = startAt + executorDurationMs(c);
    if (!stop.aborted) {
      const steps = c.executor === 'constant-vus' ? [{ atMs: 0, vus: c.vus }] : vuSteps(c.startVUs, c.stages);
      const timeline = runTimeline(
        steps.map((s) => s.atMs),
        startAt,
        clock,
        stop,
        (_due, i) => this.#setTarget(steps[i]!.vus),
      );
      while (!stop.aborted && clock.monotonicMs() < endAt) await clock.sleep(endAt - clock.monotonicMs(), stop);
      this.#stop.abort();
      await timeline;
    }
    for (const slot of this.#slots) slot.wanted = false;
    const loops = Promise.all(this.#slots.map((s) => s.loop));
    await endIterations(loops, c.gracefulStopMs, () => this.#slots.forEach((s) => s.vu.abort()), this.#env);
    for (const s of this.#slots) s.grace?.abort();
  }

  #setTarget(target: number): void {
    for (const slot of this.#slots) {
      const wanted = slot.index < target;
      if (wanted === slot.wanted) continue;
      slot.wanted = wanted;
      if (wanted) {
        slot.grace?.abort();
        if (!slot.loop) slot.loop = this.#loop(slot);
      } else if (slot.loop) this.#graceThenAbort(slot);
    }
  }

  /** Ramp-down: the VU's current iteration gets the graceful stop, then is aborted. */
  #graceThenAbort(slot: Slot): void {
    const grace = (slot.grace = new AbortController());
    void this.#env.clock.sleep(this.#config.gracefulStopMs, grace.signal).then(() => {
      if (!grace.signal.aborted && !slot.wanted && slot.loop) slot.vu.abort();
    });
  }

  async #loop(slot: Slot): Promise<void> {
    const { clock } = this.#env;
    slot.vu.revive();
    this.#looping++;
    let lastYield = clock.monotonicMs();
    try {
      while (slot.wanted && !slot.vu.aborted) {
        await slot.vu.iterate();
        // A flow that never waits on I/O (or an instant local response) would starve timers, and
        // with them the schedule, the reports and the stop.
        if (clock.monotonicMs() - lastYield > YIELD_EVERY_MS) {
          await new Promise((r) => setImmediate(r));
          lastYield = clock.monotonicMs();
        }
      }
    } finally {
      this.#looping--;
      slot.loop = undefined;
      slot.grace?.abort();
      slot.grace = undefined;
      // Ramped back up while its aborted iteration was unwinding.
      if (slot.wanted && !this.#stop.signal.aborted) slot.loop = this.#loop(slot);
    }
  }
}
