import { Pool } from 'undici';

/** One keep-alive undici Pool per origin, shared by every VU of a worker. */
export class OriginPools {
  readonly #pools = new Map<string, Pool>();
  readonly #connections: number;
  readonly #timeoutMs: number;

  constructor(connections: number, timeoutMs: number) {
    this.#connections = connections;
    this.#timeoutMs = timeoutMs;
  }

  #last: { origin: string; pool: Pool } | undefined;

  get(origin: string): Pool {
    // Nearly every request goes to the base URL's origin: skip the map then.
    if (this.#last?.origin === origin) return this.#last.pool;
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#connections,
        // One request at a time per connection, like k6, autocannon and wrk: latency stays per request.
        pipelining: 1,
        connect: { timeout: this.#timeoutMs },
      });
      this.#pools.set(origin, pool);
    }
    this.#last = { origin, pool };
    return pool;
  }

  /** Closes every connection (requests still queued are failed): the worker can then exit. */
  async destroy(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.destroy()));
    this.#pools.clear();
    this.#last = undefined;
  }
}
