import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time as a component with timers sees it, injected so tests move time by hand instead of sleeping
 * on the wall clock (test/support/fake-clock.ts).
 */
export interface Clock {
  /** Milliseconds on the clock's timeline (`wallClock`: epoch ms). */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Epoch ms and real timers: what journals, probe series and the ledger record times in. */
export const wallClock: Clock = {
  now: () => Date.now(),
  // An abort rejects the timer with an AbortError: for a sleeper that is just an early wake-up.
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, { signal }).catch(() => undefined),
};
