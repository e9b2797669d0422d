import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import { request, type Dispatcher } from 'undici';
import type { EdgePolicy } from '../../mesh/policy.ts';
import { ApiError, retryAfterSeconds } from './api-error.ts';
import type { GatewayMetrics, UpstreamErrorReason, UpstreamName } from './gateway-metrics.ts';
import { RetryBudget } from './retry-budget.ts';

/** Who a call is made for: forwarded so upstream logs and audit lines join up with the gateway's. */
export interface CallContext {
  readonly requestId: string;
  readonly clientIp?: string;
}

export interface UpstreamCall {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path and query, e.g. /products?ids=1,2. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  /** Safe to repeat: GETs (the default for GET) and POSTs the upstream deduplicates by Idempotency-Key. */
  readonly idempotent?: boolean;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One failed attempt; what the breaker counts and the retry may repeat. */
class AttemptFailed extends Error {
  readonly reason: Exclude<UpstreamErrorReason, 'circuit_open'>;
  constructor(reason: AttemptFailed['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

const isAttemptFailure = (err: unknown): boolean => err instanceof AttemptFailed || err instanceof TaskCancelledError;
const STATE_GAUGE: Record<CircuitState, number> = { [CircuitState.Closed]: 0, [CircuitState.Open]: 1, [CircuitState.HalfOpen]: 2, [CircuitState.Isolated]: 1 };

/**
 * Calls one upstream over the mesh with the edge's policy from MESH_POLICY: a per-attempt timeout,
 * a circuit breaker that counts every attempt, and (idempotent calls only) retries with exponential
 * backoff and full jitter, limited by a retry budget. 4xx answers are results, not failures; 5xx,
 * timeouts and connection errors are failures, and a call that ends in one becomes a 503.
 */
export class UpstreamClient {
  readonly name: UpstreamName;
  readonly #baseUrl: string;
  readonly #dispatcher: Dispatcher;
  readonly #policy: EdgePolicy;
  readonly #metrics: GatewayMetrics;
  readonly #budget: RetryBudget;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #backoff: ExponentialBackoff<number>;
  readonly #attemptTimeout: TimeoutPolicy;
  #openedAt = 0;

  constructor(opts: { name: UpstreamName; baseUrl: string; dispatcher: Dispatcher; policy: EdgePolicy; metrics: GatewayMetrics }) {
    this.name = opts.name;
    this.#baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#dispatcher = opts.dispatcher;
    this.#policy = opts.policy;
    this.#metrics = opts.metrics;
    const { retry: r, circuitBreaker: cb } = opts.policy;
    this.#budget = new RetryBudget({ budgetRatio: r.budgetRatio, minRetriesPerSec: r.minRetriesPerSec });
    this.#attemptTimeout = timeout(opts.policy.timeoutMs, TimeoutStrategy.Aggressive);
    this.#backoff = new ExponentialBackoff({ initialDelay: r.backoffMs, exponent: 2, generator: fullJitterGenerator });
    this.#breaker = circuitBreaker(handleWhen(isAttemptFailure), {
      halfOpenAfter: cb.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(cb.consecutiveFailures),
    });
    this.#breaker.onBreak(() => (this.#openedAt = Date.now()));
    this.#breaker.onStateChange((state) => this.#metrics.circuitState.set({ upstream: this.name }, STATE_GAUGE[state]));
    this.#metrics.circuitState.set({ upstream: this.name }, 0);
  }

  async request(call: UpstreamCall, ctx: CallContext): Promise<UpstreamResponse> {
    this.#budget.recordRequest();
    const idempotent = call.idempotent ?? call.method === 'GET';
    const policy = idempotent ? wrap(this.#retryPolicy(), this.#breaker, this.#attemptTimeout) : wrap(this.#breaker, this.#attemptTimeout);
    try {
      return await policy.execute(({ signal }) => this.#attempt(call, ctx, signal));
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        this.#metrics.upstreamErrors.inc({ upstream: this.name, reason: 'circuit_open' });
        const wait = this.#openedAt + this.#policy.circuitBreaker.halfOpenAfterMs - Date.now();
        throw new ApiError(503, 'upstream_unavailable', `${this.name} is unavailable (circuit open)`, { 'retry-after': retryAfterSeconds(wait) });
      }
      if (isAttemptFailure(err)) throw new ApiError(503, 'upstream_unavailable', `${this.name} is unavailable`, { 'retry-after': '1' });
      throw err;
    }
  }

  /** Per call, because the budget is consulted per failed attempt and cockatiel's retry has no hook for it. */
  #retryPolicy() {
    const { maxRetries } = this.#policy.retry;
    let failures = 0;
    const retryable = (err: unknown): boolean => isAttemptFailure(err) && ++failures <= maxRetries && this.#budget.tryAcquireRetry();
    return retry(handleWhen(retryable), { maxAttempts: maxRetries, backoff: this.#backoff });
  }

  async #attempt(call: UpstreamCall, ctx: CallContext, signal: AbortSignal): Promise<UpstreamResponse> {
    const started = performance.now();
    const observe = (outcome: string): void => {
      this.#metrics.upstreamDuration.observe({ upstream: this.name, outcome }, (performance.now() - started) / 1000);
    };
    try {
      const res = await request(this.#baseUrl + call.path, {
        method: call.method,
        dispatcher: this.#dispatcher,
        signal,
        headers: this.#headers(call, ctx),
        body: call.body === undefined ? null : JSON.stringify(call.body),
      });
      const body = await res.body.text();
      if (res.statusCode >= 500) throw new AttemptFailed('5xx', `${this.name} answered ${res.statusCode}`);
      observe('ok');
      return { status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      const reason = err instanceof AttemptFailed ? err.reason : signal.aborted ? 'timeout' : 'connect';
      observe(reason);
      this.#metrics.upstreamErrors.inc({ upstream: this.name, reason });
      throw err instanceof AttemptFailed ? err : new AttemptFailed(reason, `${this.name}: ${(err as Error).message}`);
    }
  }

  #headers(call: UpstreamCall, ctx: CallContext): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': ctx.requestId };
    if (ctx.clientIp) headers['x-forwarded-for'] = ctx.clientIp;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    for (const [k, v] of Object.entries(call.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
    return headers;
  }
}
