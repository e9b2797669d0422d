import type { Duration } from './duration.ts';

/**
 * The API a flow (a user journey) is written against. Flows run inside the load engine's worker
 * threads, one virtual user (VU) at a time per flow invocation; everything here is per VU.
 */

export interface RequestOptions {
  /**
   * Name for metrics and thresholds (`http_req_duration{name:login}`) and the per-request table.
   * @default `${METHOD} ${path}` with digits in the path replaced by `:id`
   */
  readonly name?: string;
  /** Extra tags on this request's samples (thresholds can filter on them). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON with content-type application/json. */
  readonly json?: unknown;
  /** Raw body (ignored when json is given). */
  readonly body?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /**
   * Which statuses are expected; anything else counts in http_req_failed.
   * @default 200-399
   */
  readonly expect?: number | readonly number[] | ((status: number) => boolean);
  /** @default the scenario's http.timeoutMs (10 s) */
  readonly timeoutMs?: number;
}

export interface FlowResponse {
  /** HTTP status, or 0 when no response came (connection error, timeout). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text ('' when the scenario discards bodies). */
  readonly body: string;
  /** The body parsed as JSON; throws if it is not JSON. */
  json<T = unknown>(): T;
  /** Time to the end of the body, from the request's intended start (open model) or its actual start. */
  readonly durationMs: number;
  /** Why no response came: 'timeout', 'connect', 'reset', or the error message. */
  readonly error?: string;
  /** The status was expected (see RequestOptions.expect). */
  readonly ok: boolean;
}

export interface GraphqlOperation {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string;
}

export interface HttpClient {
  /** Paths are relative to the target's base URL (the edge, on the local target). */
  get(path: string, opts?: RequestOptions): Promise<FlowResponse>;
  post(path: string, opts?: RequestOptions): Promise<FlowResponse>;
  put(path: string, opts?: RequestOptions): Promise<FlowResponse>;
  delete(path: string, opts?: RequestOptions): Promise<FlowResponse>;
  request(method: string, path: string, opts?: RequestOptions): Promise<FlowResponse>;
  /** POST /graphql with one operation, or an array of operations (a batch in one request). */
  graphql(op: GraphqlOperation | readonly GraphqlOperation[], opts?: RequestOptions): Promise<FlowResponse>;
}

export interface VuInfo {
  /** 1-based, unique across all workers (and load pods) of the run. */
  readonly id: number;
  /** Iterations this VU has started, 0-based for the current one. */
  readonly iteration: number;
  /** The load scenario (executor) this iteration belongs to. */
  readonly scenario: string;
  /** Per-VU state kept across iterations (a login token, say). */
  readonly state: Record<string, unknown>;
}

export interface FlowContext<D = unknown> {
  readonly http: HttpClient;
  readonly vu: VuInfo;
  /** What the scenario's `data()` returned (loaded once per worker). */
  readonly data: D;
  /**
   * Named checks on a value: each result counts in the `checks` rate (k6 semantics: a failed check
   * does not fail the iteration or the run unless a threshold on `checks` says so). Returns true if all passed.
   */
  check<T>(value: T, checks: Readonly<Record<string, (v: T) => boolean>>): boolean;
  /** Think time; aborted when the run stops. Not counted in request latency. */
  sleep(d: Duration): Promise<void>;
  /** Uniform in [0, 1), from a per-VU seeded generator (reproducible runs). */
  random(): number;
  /** Zipf-distributed integer in 1..n (exponent s, default 1.0): a few items are hot, most are cold. */
  zipf(n: number, s?: number): number;
  /** One item, uniformly or by weights. */
  pick<T>(items: readonly T[], weights?: readonly number[]): T;
  /** Aborted when the run (or this scenario's graceful stop) ends. */
  readonly signal: AbortSignal;
}

export type Flow<D = unknown> = (ctx: FlowContext<D>) => Promise<void>;
