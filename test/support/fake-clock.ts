import { setImmediate as turn } from 'node:timers/promises';
import type { Clock } from '../../harness/util/clock.ts';

interface Sleeper {
  readonly due: number;
  readonly wake: () => void;
}

/**
 * A clock for tests: time stands still until `advance()` moves it, waking each sleeper at its due
 * time, in order, and letting what it does next run before the following one wakes.
 */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        due: this.#now + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener('abort', sleeper.wake);
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          resolve();
        },
      };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  /** Sleepers waiting now (a sleep aborted by its signal is gone). */
  get sleepers(): number {
    return this.#sleepers.length;
  }

  /** Moves time forward by `ms`; resolves once everything woken on the way has run as far as it can. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#sleepers.filter((s) => s.due <= until).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.#now = next.due;
      next.wake();
      await settle();
    }
    this.#now = until;
  }
}

/** Lets promise chains and pending I/O callbacks run (a few event-loop turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await turn();
}
