import type { IncomingHttpHeaders } from 'node:http';
import type { FlowResponse, GraphqlOperation, HttpClient, RequestOptions } from '../../config/flow-api.ts';
import type { Clock } from '../../util/clock.ts';
import { isExpectedStatus } from './expected-status.ts';
import type { FlowScope } from './flow-scope.ts';
import { Exchange, type ExchangeResult } from './http-exchange.ts';
import type { OriginDispatchers } from './origin-pools.ts';
import { defaultRequestName } from './request-name.ts';

/** Per-VU state the client reads: set by the VU for each iteration. */
export interface VuRequestState {
  scope: FlowScope;
  /**
   * The intended start of the current iteration when it started late (open model): its first
   * request is timed from there, so scheduling lag shows in latency instead of being omitted.
   */
  lateOrigin: number | undefined;
  readonly inflight: Set<Exchange>;
  signal: AbortSignal;
}

export interface HttpClientOptions {
  readonly pools: OriginDispatchers;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly discardResponseBodies: boolean;
  readonly clock: Clock;
  readonly state: VuRequestState;
}

class Response implements FlowResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly error?: string;
  constructor(r: ExchangeResult, durationMs: number, ok: boolean) {
    this.status = r.status;
    this.headers = r.headers;
    this.body = r.body;
    this.durationMs = durationMs;
    this.ok = ok;
    if (r.error !== undefined) this.error = r.error;
  }
  json<T = unknown>(): T {
    return JSON.parse(this.body) as T;
  }
}

function headerBytes(headers: IncomingHttpHeaders): number {
  let n = 17; // status line and the blank line
  for (const k in headers) {
    const v = headers[k];
    if (typeof v === 'string') n += k.length + v.length + 4;
    else if (v) for (const x of v) n += k.length + x.length + 4;
  }
  return n;
}

function cacheResult(headers: IncomingHttpHeaders): boolean | undefined {
  const v = headers['x-cache'];
  if (typeof v !== 'string') return undefined;
  const lower = v.toLowerCase();
  return lower.startsWith('hit') ? true : lower.startsWith('miss') ? false : undefined;
}

/** What every request of one VU shares. */
interface ClientContext {
  readonly clock: Clock;
  readonly state: VuRequestState;
  readonly keepBody: boolean;
}

/**
 * One request of a flow: the undici handler that, when the response is complete, records its
 * samples into the VU's current flow scope and resolves the flow's promise. One object per request
 * (plus undici's own) keeps the hot path's allocations, and so the GC, small.
 */
class FlowRequest extends Exchange {
  readonly #ctx: ClientContext;
  readonly #resolve: (r: FlowResponse) => void;
  readonly #name: string;
  readonly #method: string;
  readonly #opts: RequestOptions;
  readonly #from: number;
  readonly #sentBytes: number;

  constructor(ctx: ClientContext, resolve: (r: FlowResponse) => void, name: string, method: string, opts: RequestOptions, from: number, sentBytes: number) {
    super();
    this.#ctx = ctx;
    this.#resolve = resolve;
    this.#name = name;
    this.#method = method;
    this.#opts = opts;
    this.#from = from;
    this.#sentBytes = sentBytes;
  }

  protected now(): number {
    return this.#ctx.clock.monotonicMs();
  }
  protected keepBody(): boolean {
    return this.#ctx.keepBody;
  }

  protected settle(r: ExchangeResult): void {
    const state = this.#ctx.state;
    state.inflight.delete(this);
    const ok = isExpectedStatus(r.status, this.#opts.expect);
    const durationMs = r.endAt - this.#from;
    // Interrupted by the end of the run: not a measurement of the target.
    if (!r.aborted) {
      const sinks = state.scope.request(this.#name, this.#method, r.status, ok, this.#opts.tags);
      sinks.duration.record(durationMs);
      sinks.waiting.record(r.headersAt - this.#from);
      sinks.reqs.add(1);
      sinks.failed.add(!ok);
      sinks.received.add(r.bytesReceived + (r.status === 0 ? 0 : headerBytes(r.headers)));
      sinks.sent.add(this.#sentBytes);
      const hit = cacheResult(r.headers);
      if (hit !== undefined) sinks.cacheHit.add(hit);
    }
    this.#resolve(new Response(r, durationMs, ok));
  }
}

const ABSOLUTE = /^https?:\/\//i;
const NO_OPTIONS: RequestOptions = Object.freeze({});

/** The flows' HTTP client of one VU: requests through the worker's pools, samples into the VU's current flow scope. */
export function createHttpClient(o: HttpClientOptions): HttpClient {
  const base = new URL(o.baseUrl);
  const baseOrigin = base.origin;
  const basePath = base.pathname.replace(/\/$/, '');
  const hostBytes = base.host.length + 8;
  const { clock, state, pools } = o;
  const ctx: ClientContext = { clock, state, keepBody: !o.discardResponseBodies };

  const request = (method: string, path: string, opts: RequestOptions = NO_OPTIONS): Promise<FlowResponse> => {
    // A stopped run must end the iteration: a flow looping on requests would otherwise spin.
    if (state.signal.aborted) return Promise.reject(state.signal.reason as Error);
    const m = method.toUpperCase();
    let origin = baseOrigin;
    let target: string;
    // Relative paths (the common case) skip URL parsing.
    if (path.charCodeAt(0) === 47) target = basePath + path;
    else if (ABSOLUTE.test(path)) {
      const u = new URL(path);
      origin = u.origin;
      target = u.pathname + u.search;
    } else target = `${basePath}/${path}`;
    let headers: Record<string, string> | undefined;
    let body: string | undefined = opts.body;
    if (opts.headers || opts.token !== undefined || opts.json !== undefined) {
      headers = { ...opts.headers };
      if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
      if (opts.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.json);
      }
    }
    let sent = m.length + target.length + hostBytes + 12 + (body ? Buffer.byteLength(body) + 20 : 0);
    if (headers) for (const k in headers) sent += k.length + headers[k]!.length + 4;
    const timeout = opts.timeoutMs ?? o.timeoutMs;
    const from = state.lateOrigin ?? clock.monotonicMs();
    state.lateOrigin = undefined;
    const name = opts.name ?? defaultRequestName(m, path);

    return new Promise<FlowResponse>((resolve) => {
      const call = new FlowRequest(ctx, resolve, name, m, opts, from, sent);
      state.inflight.add(call);
      try {
        // undici's own timers: headers within the timeout, then no gap in the body longer than it.
        // Time spent queued for a free connection is not bounded by them (it does count in the latency).
        pools.get(origin).dispatch({ path: target, method: m, headers, body, headersTimeout: timeout, bodyTimeout: timeout }, call);
      } catch (err) {
        call.onResponseError(undefined, err as Error);
      }
    });
  };

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, opts) => request('POST', path, opts),
    put: (path, opts) => request('PUT', path, opts),
    delete: (path, opts) => request('DELETE', path, opts),
    graphql: (op: GraphqlOperation | readonly GraphqlOperation[], opts?: RequestOptions) => request('POST', '/graphql', { ...opts, json: op }),
  };
}
