/** Distinct messages kept; later new messages are counted together so a flow that puts ids in its errors cannot grow memory. */
export const MAX_FLOW_ERRORS = 50;
const OTHER_FLOW_ERRORS = '(other errors: distinct-message cap reached)';

/** Counts of errors thrown by flows, by message, capped at MAX_FLOW_ERRORS distinct messages. */
export class FlowErrors {
  readonly #counts = new Map<string, number>();

  add(message: string, n = 1): void {
    const key = this.#counts.has(message) || this.#counts.size < MAX_FLOW_ERRORS ? message : OTHER_FLOW_ERRORS;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + n);
  }

  addError(err: unknown): void {
    this.add(err instanceof Error ? err.message || err.name : String(err));
  }

  merge(counts: Readonly<Record<string, number>>): void {
    for (const [message, n] of Object.entries(counts)) this.add(message, n);
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** The counts since the previous drain (a worker's delta), then forgets them. */
  drain(): Record<string, number> {
    const r = this.toRecord();
    this.#counts.clear();
    return r;
  }
}
