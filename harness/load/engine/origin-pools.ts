import { Client, Pool, type Dispatcher } from 'undici';

/** A VU's way to its origins: its own connection, or the worker's shared pool. */
export interface OriginDispatchers {
  get(origin: string): Dispatcher;
}

/**
 * The worker's keep-alive connections, per origin. When every VU the worker can run fits in the
 * connection budget, each VU gets its own connection per origin (k6's model): no pool picks a free
 * connection per request, which is about 10 % of a request's CPU in the load generator. Otherwise
 * the VUs share one undici Pool of `connections` per origin.
 */
export class OriginPools implements AsyncDisposable {
  readonly #pools = new Map<string, Pool>();
  readonly #clients = new Set<Client>();
  readonly #connections: number;
  readonly #timeoutMs: number;
  readonly #dedicated: boolean;
  #last: { origin: string; pool: Pool } | undefined;

  /** `maxVus`: the most VUs this worker runs at once (all executors); unknown means shared pools. */
  constructor(connections: number, timeoutMs: number, maxVus = Infinity) {
    this.#connections = connections;
    this.#timeoutMs = timeoutMs;
    this.#dedicated = maxVus <= connections;
  }

  /** The dispatchers one VU uses for the whole run. */
  forVu(): OriginDispatchers {
    if (!this.#dedicated) return this;
    const own = new Map<string, Client>();
    let last: { origin: string; client: Client } | undefined;
    return {
      get: (origin) => {
        if (last?.origin === origin) return last.client;
        let client = own.get(origin);
        if (!client) {
          client = new Client(origin, this.#options());
          own.set(origin, client);
          this.#clients.add(client);
        }
        last = { origin, client };
        return client;
      },
    };
  }

  get(origin: string): Pool {
    // Nearly every request goes to the base URL's origin: skip the map then.
    if (this.#last?.origin === origin) return this.#last.pool;
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { ...this.#options(), connections: this.#connections });
      this.#pools.set(origin, pool);
    }
    this.#last = { origin, pool };
    return pool;
  }

  #options(): Pool.Options {
    // One request at a time per connection, like k6, autocannon and wrk: latency stays per request.
    return { pipelining: 1, connect: { timeout: this.#timeoutMs } };
  }

  /** Closes every connection (requests still queued are failed), so the worker thread can exit. */
  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all([...this.#pools.values(), ...this.#clients].map((d) => d.destroy()));
    this.#pools.clear();
    this.#clients.clear();
    this.#last = undefined;
  }
}
