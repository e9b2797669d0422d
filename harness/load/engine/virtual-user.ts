import type { Flow, FlowContext, HttpClient, VuInfo } from '../../config/flow-api.ts';
import { parseDuration } from '../../config/duration.ts';
import type { Clock } from '../../util/clock.ts';
import type { FlowErrors } from './flow-errors.ts';
import type { FlowScope } from './flow-scope.ts';
import { createHttpClient, type VuRequestState } from './http-client.ts';
import type { OriginPools } from './origin-pools.ts';
import { createPrng } from './prng.ts';
import { searchCdf, weightedPick } from './weighted-pick.ts';
import { zipf } from './zipf.ts';

export interface RunnableFlow {
  readonly name: string;
  readonly run: Flow<unknown>;
  readonly scope: FlowScope;
}

/** What the VUs of one executor in one worker share. */
export interface VuEnv {
  readonly clock: Clock;
  readonly pools: OriginPools;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly discardResponseBodies: boolean;
  readonly seed: number;
  readonly data: unknown;
  readonly scenario: string;
  readonly flows: readonly RunnableFlow[];
  /** Cumulative flow weights, for picking a flow per iteration. */
  readonly flowCdf: Float64Array;
  readonly flowErrors: FlowErrors;
}

interface MutableVuInfo extends VuInfo {
  iteration: number;
  scenario: string;
}

/**
 * A virtual user: its own seeded random generator, HTTP client, state and abort signal; runs one
 * iteration at a time. A thrown error fails the iteration (counted in flowErrors), not the VU.
 */
export class VirtualUser {
  readonly id: number;
  readonly #env: VuEnv;
  readonly #random: () => number;
  readonly #info: MutableVuInfo;
  readonly #state: VuRequestState;
  readonly #http: HttpClient;
  #controller = new AbortController();
  #ctx: FlowContext;

  constructor(env: VuEnv, id: number) {
    this.id = id;
    this.#env = env;
    this.#random = createPrng(env.seed, id);
    this.#info = { id, iteration: -1, scenario: env.scenario, state: {} };
    this.#state = { scope: env.flows[0]!.scope, lateOrigin: undefined, inflight: new Set(), signal: this.#controller.signal };
    this.#http = createHttpClient({ ...env, pools: env.pools.forVu(), state: this.#state });
    this.#ctx = this.#context();
  }

  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  /**
   * Runs one iteration of a flow picked by weight. `intendedAt` (open model) is when the schedule
   * wanted it to start: lag is recorded, and the iteration is timed from it.
   */
  async iterate(intendedAt?: number): Promise<void> {
    const env = this.#env;
    const flow = env.flows.length === 1 ? env.flows[0]! : env.flows[searchCdf(env.flowCdf, this.#random())]!;
    const scope = flow.scope;
    const state = this.#state;
    state.scope = scope;
    this.#info.iteration++;
    const start = env.clock.monotonicMs();
    const from = intendedAt ?? start;
    if (intendedAt !== undefined) {
      scope.iterationLag.record(start - intendedAt);
      state.lateOrigin = start > intendedAt ? intendedAt : undefined;
    }
    try {
      await flow.run(this.#ctx);
    } catch (err) {
      if (!this.aborted) env.flowErrors.addError(err);
    }
    state.lateOrigin = undefined;
    // Interrupted by the end of the run: neither a complete iteration nor a failure.
    if (this.aborted) return;
    scope.iterations.add(1);
    scope.iterationDuration.record(env.clock.monotonicMs() - from);
  }

  /** Interrupts the running iteration: its signal aborts, its requests in flight are cancelled. */
  abort(): void {
    if (this.aborted) return;
    const reason = new DOMException('the load scenario stopped', 'AbortError');
    this.#controller.abort(reason);
    for (const ex of this.#state.inflight) ex.abort(reason);
  }

  /** A fresh signal after abort() (a ramping-vus VU brought back after a ramp-down). */
  revive(): void {
    if (!this.aborted) return;
    this.#controller = new AbortController();
    this.#state.signal = this.#controller.signal;
    this.#ctx = this.#context();
  }

  #context(): FlowContext {
    const env = this.#env;
    const signal = this.#controller.signal;
    const random = this.#random;
    const state = this.#state;
    return {
      http: this.#http,
      vu: this.#info,
      data: env.data,
      signal,
      random,
      zipf: (n, s = 1) => zipf(n, s, random()),
      pick: (items, weights) => weightedPick(items, random(), weights),
      check: (value, checks) => {
        let all = true;
        for (const name in checks) {
          let ok: boolean;
          try {
            ok = checks[name]!(value) === true;
          } catch {
            ok = false;
          }
          state.scope.check(name).add(ok);
          all &&= ok;
        }
        return all;
      },
      sleep: async (d) => {
        signal.throwIfAborted();
        await env.clock.sleep(parseDuration(d), signal);
        // Rejects when the run stopped during the think time, so the iteration unwinds.
        signal.throwIfAborted();
      },
    };
  }
}
