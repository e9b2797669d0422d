import type { CounterSeries, MetricRecorder, RateSeries, TrendSeries } from './metric-recorder.ts';
import type { Tags } from './worker-protocol.ts';

/** Where one request's samples go, resolved once per tag set. */
export interface RequestSinks {
  readonly duration: TrendSeries;
  readonly waiting: TrendSeries;
  readonly reqs: CounterSeries;
  readonly failed: RateSeries;
  readonly received: CounterSeries;
  readonly sent: CounterSeries;
  readonly cacheHit: RateSeries;
}

/**
 * The series of one flow run by one executor in this worker. Series objects are looked up once
 * per distinct (name, method, status, ...) and kept, so the hot path records into fields instead
 * of building tag sets per request.
 */
export class FlowScope {
  readonly tags: Tags;
  readonly iterations: CounterSeries;
  readonly iterationDuration: TrendSeries;
  readonly iterationLag: TrendSeries;
  readonly #recorder: MetricRecorder;
  readonly #requests = new Map<string, RequestSinks>();
  readonly #checks = new Map<string, RateSeries>();
  // Consecutive requests of a flow mostly repeat one tag set: remember the last one.
  #last: { name: string; method: string; status: number; expected: boolean; extra: Tags | undefined; sinks: RequestSinks } | undefined;

  constructor(recorder: MetricRecorder, scenario: string, flow: string, executorTags: Tags) {
    this.#recorder = recorder;
    this.tags = { ...executorTags, scenario, flow };
    this.iterations = recorder.counter('iterations', this.tags);
    this.iterationDuration = recorder.trend('iteration_duration', this.tags);
    this.iterationLag = recorder.trend('iteration_lag', this.tags);
  }

  request(name: string, method: string, status: number, expected: boolean, extra: Tags | undefined): RequestSinks {
    const last = this.#last;
    if (last && last.name === name && last.status === status && last.method === method && last.expected === expected && last.extra === extra) return last.sinks;
    const key = extra ? `${name}\n${method}\n${status}\n${expected}\n${JSON.stringify(extra)}` : `${name}\n${method}\n${status}\n${expected}`;
    let sinks = this.#requests.get(key);
    if (!sinks) {
      // Built-in tags last: a request tag cannot relabel what the tables group by.
      const tags = { ...this.tags, ...extra, name, method, status: String(status), expected_response: String(expected) };
      const r = this.#recorder;
      sinks = {
        duration: r.trend('http_req_duration', tags),
        waiting: r.trend('http_req_waiting', tags),
        reqs: r.counter('http_reqs', tags),
        failed: r.rate('http_req_failed', tags),
        received: r.counter('data_received', tags),
        sent: r.counter('data_sent', tags),
        cacheHit: r.rate('cache_hit', tags),
      };
      this.#requests.set(key, sinks);
    }
    this.#last = { name, method, status, expected, extra, sinks };
    return sinks;
  }

  check(name: string): RateSeries {
    let sink = this.#checks.get(name);
    if (!sink) this.#checks.set(name, (sink = this.#recorder.rate('checks', { ...this.tags, check: name })));
    return sink;
  }
}
