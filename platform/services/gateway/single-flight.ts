/** Concurrent calls for one key share the first caller's promise, so a process does the work once. */
export class SingleFlight<T> {
  readonly #inflight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = work().finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }
}
