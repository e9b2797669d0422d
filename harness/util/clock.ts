import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time as the harness sees it, injected so tests move time by hand instead of sleeping on the wall
 * clock (test/support/fake-clock.ts). Two readings, because they answer different questions: how
 * long something took or when a schedule is due (monotonic: fine-grained, never steps back, shared
 * by every thread), and when something happened for others to read (epoch: journals, probe series,
 * the ledger, a run's start).
 */
export interface Clock {
  /** Milliseconds since the epoch: times that are recorded and compared across processes. */
  epochMs(): number;
  /** Milliseconds on a monotonic timeline that every thread of the process shares: durations and schedules. */
  monotonicMs(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// performance.now() counts from each thread's own start, so worker threads would disagree about
// "now"; hrtime is one monotonic clock for the whole process. Reading it once and adding
// performance.now() keeps the per-call cost of the fast timer.
const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** The system's clocks and real timers. */
export const systemClock: Clock = {
  epochMs: () => Date.now(),
  monotonicMs: () => performance.now() + offset,
  sleep: async (ms, signal) => {
    if (signal?.aborted) return;
    try {
      // Timers fire on whole milliseconds: rounding up avoids waking just before the due time.
      await delay(Math.max(0, Math.ceil(ms)), undefined, { signal });
    } catch {
      // Aborted: for a sleeper that is just an early wake-up; the caller checks its signal.
    }
  },
};
