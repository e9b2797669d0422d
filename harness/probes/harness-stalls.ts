/**
 * How long this process itself was stalled (its event loop blocked, or the machine starving it)
 * between two instants: a probe that timed out while the harness could not read its answer says
 * more about the harness than about the platform.
 */
export interface StallWatch extends Disposable {
  /** Ms of stall overlapping [fromEpochMs, toEpochMs]. */
  stalledMs(fromEpochMs: number, toEpochMs: number): number;
}

const TICK_MS = 50;
/** A tick later than this past its due time is a stall (timers drift by a few ms on a busy machine). */
const LATE_MS = 100;
/** Stalls kept: older ones can no longer overlap a sample in flight. */
const KEEP_MS = 120_000;

/**
 * Watches the event loop with a 50 ms wall-clock tick (unref'd: it never keeps the process alive). A
 * timer is the measure because it is what the probes' own timeouts run on; perf_hooks'
 * monitorEventLoopDelay gives a histogram, not when the stalls were.
 */
export class EventLoopStallWatch implements StallWatch {
  readonly #stalls: [number, number][] = [];
  readonly #timer: NodeJS.Timeout;
  #last = Date.now();

  constructor() {
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.#timer.unref();
  }

  #tick(): void {
    const now = Date.now();
    if (now - this.#last > TICK_MS + LATE_MS) this.#stalls.push([this.#last + TICK_MS, now]);
    this.#last = now;
    while (this.#stalls.length > 0 && (this.#stalls[0]?.[1] ?? now) < now - KEEP_MS) this.#stalls.shift();
  }

  stalledMs(fromEpochMs: number, toEpochMs: number): number {
    // The stall still going on (no tick since) counts up to now.
    const open: [number, number][] = Date.now() - this.#last > TICK_MS + LATE_MS ? [[this.#last + TICK_MS, Date.now()]] : [];
    let total = 0;
    for (const [a, b] of [...this.#stalls, ...open]) total += Math.max(0, Math.min(b, toEpochMs) - Math.max(a, fromEpochMs));
    return total;
  }

  [Symbol.dispose](): void {
    clearInterval(this.#timer);
  }
}
