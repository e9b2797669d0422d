import type { Clock } from '../../harness/load/engine/clock.ts';

/** A clock for tests: sleep() moves time forward at once instead of waiting. */
export class ManualClock implements Clock {
  #now: number;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.#now += Math.max(0, ms);
    // Yield like a real timer would, so concurrent tasks interleave.
    await Promise.resolve();
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
