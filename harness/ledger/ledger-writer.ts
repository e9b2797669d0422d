import { Agent, request } from 'undici';
import { systemClock, type Clock } from '../util/clock.ts';

/** One write of the ledger: what the platform answered to a uniquely keyed order. */
export interface LedgerRecord {
  readonly key: string;
  /** 2xx with an order id: the platform promised the order exists. */
  readonly acknowledged: boolean;
  readonly orderId?: string;
  /** HTTP status, 0 for no answer (timeout, refused), -1 when no request could be sent (no login). */
  readonly status: number;
  /** When it was sent, ms from the writer's origin. */
  readonly atMs: number;
}

export interface LedgerWriterOptions {
  readonly baseUrl: string;
  readonly user: { readonly username: string; readonly password: string };
  readonly ratePerSec: number;
  /** Unique per run, so keys of different runs never collide in the system of record. */
  readonly runId: string;
  /** Epoch ms the records' times count from (the run's origin). */
  readonly origin: number;
  readonly timeoutMs?: number;
  /** Products are drawn uniformly from 1..products (stock of hot products is left to the load). */
  readonly products?: number;
  /** Writes in flight at most: beyond it a write is skipped and counted unacknowledged, never queued. */
  readonly maxInFlight?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * The data-loss ledger's writer: places uniquely keyed orders at a fixed rate through the public
 * API for the whole experiment and records every acknowledgement. It never retries (a retry with
 * the same key would hide a lost write behind the idempotency guarantee it is meant to test).
 * Disposing it stops it.
 */
export class LedgerWriter implements AsyncDisposable {
  readonly #o: Required<LedgerWriterOptions>;
  readonly #records: LedgerRecord[] = [];
  readonly #inflight = new Set<Promise<void>>();
  readonly #agent: Agent;
  readonly #stop = new AbortController();
  #token: Promise<string | undefined> | undefined;
  #ticking: Promise<void> | undefined;
  #n = 0;
  #stopping: Promise<readonly LedgerRecord[]> | undefined;

  constructor(options: LedgerWriterOptions) {
    this.#o = { timeoutMs: 5_000, products: 10_000, maxInFlight: 50, clock: systemClock, ...options };
    this.#agent = new Agent({ connections: 8, connect: { timeout: this.#o.timeoutMs } });
  }

  start(): void {
    this.#ticking ??= this.#tick();
  }

  async #tick(): Promise<void> {
    const { clock } = this.#o;
    const { signal } = this.#stop;
    const every = 1000 / this.#o.ratePerSec;
    const startedAt = clock.epochMs();
    while (!signal.aborted) {
      this.#write();
      // On a fixed grid from the start: a slow write never delays the next one.
      await clock.sleep(startedAt + this.#n * every - clock.epochMs(), signal);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Stops writing and waits for the writes in flight (each bounded by the timeout). Idempotent. */
  stop(): Promise<readonly LedgerRecord[]> {
    this.#stopping ??= (async () => {
      this.#stop.abort();
      await this.#ticking;
      await Promise.all(this.#inflight);
      await this.#agent.close();
      return this.#records;
    })();
    return this.#stopping;
  }

  get records(): readonly LedgerRecord[] {
    return this.#records;
  }

  #write(): void {
    const n = this.#n++;
    const key = `ledger-${this.#o.runId}-${n}`;
    const atMs = this.#o.clock.epochMs() - this.#o.origin;
    if (this.#inflight.size >= this.#o.maxInFlight) {
      this.#records.push({ key, acknowledged: false, status: -1, atMs });
      return;
    }
    const p = this.#place(key, atMs).finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  async #place(key: string, atMs: number): Promise<void> {
    const token = await this.#login();
    if (!token) {
      this.#records.push({ key, acknowledged: false, status: -1, atMs });
      return;
    }
    const productId = 1 + Math.floor(Math.random() * this.#o.products);
    try {
      const res = await request(`${this.#o.baseUrl}/api/orders`, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
        headersTimeout: this.#o.timeoutMs,
        bodyTimeout: this.#o.timeoutMs,
      });
      const text = await res.body.text();
      if (res.statusCode === 401) this.#token = undefined;
      const id = res.statusCode >= 200 && res.statusCode < 300 ? idOf(text) : undefined;
      this.#records.push({ key, acknowledged: id !== undefined, ...(id !== undefined ? { orderId: id } : {}), status: res.statusCode, atMs });
    } catch {
      this.#records.push({ key, acknowledged: false, status: 0, atMs });
    }
  }

  /** One login shared by concurrent writes; a failed one is retried by the next write. */
  #login(): Promise<string | undefined> {
    this.#token ??= (async () => {
      try {
        const res = await request(`${this.#o.baseUrl}/api/auth/login`, {
          method: 'POST',
          dispatcher: this.#agent,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(this.#o.user),
          headersTimeout: this.#o.timeoutMs,
          bodyTimeout: this.#o.timeoutMs,
        });
        const body = (await res.body.json().catch(() => ({}))) as { accessToken?: string };
        if (res.statusCode !== 200 || !body.accessToken) throw new Error(`login ${res.statusCode}`);
        return body.accessToken;
      } catch {
        this.#token = undefined;
        return undefined;
      }
    })();
    return this.#token;
  }
}

function idOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return id === undefined || id === null ? undefined : String(id);
  } catch {
    return undefined;
  }
}
