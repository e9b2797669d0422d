import { setImmediate as turn } from 'node:timers/promises';
import type { Clock } from '../../harness/util/clock.ts';

interface Sleeper {
  readonly due: number;
  readonly wake: () => void;
}

/** Where the clock's two readings start; they differ by default, so code that reads the wrong one shows. */
export interface FakeClockStart {
  /** @default 1_700_000_000_000 */
  readonly epochMs?: number;
  /** @default 0 */
  readonly monotonicMs?: number;
}

/**
 * A clock for tests: time stands still until `advance()` moves it, waking each sleeper at its due
 * time, in order, and letting what it does next run before the following one wakes. Both readings
 * move together.
 */
export class FakeClock implements Clock {
  readonly #epochOffset: number;
  /** Elapsed ms on the monotonic reading. */
  #now: number;
  #sleepers: Sleeper[] = [];

  constructor(start: FakeClockStart = {}) {
    this.#now = start.monotonicMs ?? 0;
    this.#epochOffset = (start.epochMs ?? 1_700_000_000_000) - this.#now;
  }

  epochMs(): number {
    return this.#now + this.#epochOffset;
  }

  monotonicMs(): number {
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
      // blockEventLoop() may have moved time past a sleeper's due time: it wakes late, never in the past.
      this.#now = Math.max(this.#now, next.due);
      next.wake();
      await settle();
    }
    this.#now = Math.max(this.#now, until);
  }

  /**
   * Moves time forward by `ms` at once, waking nobody, as when synchronous work holds the event
   * loop: sleepers that fell due meanwhile wake, late, at the next `advance()`.
   */
  blockEventLoop(ms: number): void {
    this.#now += ms;
  }
}

/** Lets promise chains and pending I/O callbacks run (a few event-loop turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await turn();
}
