interface Slot {
  second: number;
  requests: number;
  retries: number;
}

/**
 * A retry budget, hand-written because cockatiel has none (its retry policy only caps attempts per
 * call). Finagle's model: over a sliding window (10 one-second slots) retries may not exceed
 * budgetRatio × requests plus a reserve of minRetriesPerSec × window, so a struggling upstream sees
 * at most ~ (1 + budgetRatio) × the normal load instead of (1 + maxRetries) ×, while a quiet edge
 * can still retry.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #reserve: number;
  readonly #slots: Slot[];
  readonly #now: () => number;

  constructor(opts: { budgetRatio: number; minRetriesPerSec: number; windowSec?: number; now?: () => number }) {
    const windowSec = opts.windowSec ?? 10;
    this.#ratio = opts.budgetRatio;
    this.#reserve = opts.minRetriesPerSec * windowSec;
    this.#slots = Array.from({ length: windowSec }, () => ({ second: -1, requests: 0, retries: 0 }));
    this.#now = opts.now ?? Date.now;
  }

  /** A first attempt: deposits budgetRatio of a retry. */
  recordRequest(): void {
    this.#slot().requests += 1;
  }

  /** Takes one retry from the budget, or says no when the window's retries already use it up. */
  tryAcquireRetry(): boolean {
    const { requests, retries } = this.#totals();
    if (retries + 1 > requests * this.#ratio + this.#reserve) return false;
    this.#slot().retries += 1;
    return true;
  }

  #slot(): Slot {
    const second = Math.floor(this.#now() / 1000);
    const slot = this.#slots[second % this.#slots.length] as Slot;
    if (slot.second !== second) Object.assign(slot, { second, requests: 0, retries: 0 });
    return slot;
  }

  #totals(): { requests: number; retries: number } {
    const oldest = Math.floor(this.#now() / 1000) - this.#slots.length + 1;
    let requests = 0;
    let retries = 0;
    for (const s of this.#slots) {
      if (s.second < oldest) continue;
      requests += s.requests;
      retries += s.retries;
    }
    return { requests, retries };
  }
}
