import { setTimeout as delay } from 'node:timers/promises';

/** Time as the engine sees it; injected so schedules can be tested without sleeping on wall time. */
export interface Clock {
  /** Milliseconds on a monotonic timeline that every thread of the process shares. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// performance.now() counts from each thread's own start, so worker threads would disagree about
// "now"; hrtime is one monotonic clock for the whole process. Reading it once and adding
// performance.now() keeps the per-call cost of the fast timer.
const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();

export const systemClock: Clock = {
  now: () => performance.now() + offset,
  sleep: async (ms, signal) => {
    if (signal?.aborted) return;
    try {
      // Timers fire on whole milliseconds: rounding up avoids waking just before the due time.
      await delay(Math.max(0, Math.ceil(ms)), undefined, { signal });
    } catch {
      // Aborted: the caller checks its signal.
    }
  },
};
