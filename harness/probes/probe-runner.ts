import type { ProbeSeries } from '../result/summary-model.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { EventLoopStallWatch, type StallWatch } from './harness-stalls.ts';
import type { ProbeCheck, ProbeOutcome } from './probe-check.ts';

/** One sample as it is taken, for live consumers (abort conditions, progress). */
export interface ProbeSample extends ProbeOutcome {
  readonly probe: string;
  /** When the sample's answer came (or its timeout ran out), ms from the origin. */
  readonly t: number;
  readonly latencyMs: number | null;
}

/** Errors kept per probe: the report lists reasons, not every occurrence. */
const MAX_REASONS = 8;

/** What a probe's series says about the probe itself. */
export type ProbeIdentity = Pick<ProbeCheck, 'name' | 'type' | 'everyMs' | 'availability'>;

/** One probe's samples as its series (the runner's, and the sample summaries' simulated probes). */
export class ProbeSeriesBuilder<C extends ProbeIdentity = ProbeIdentity> {
  readonly t: number[] = [];
  readonly ok: boolean[] = [];
  readonly latencyMs: (number | null)[] = [];
  readonly value: (number | null)[] = [];
  readonly errors: Record<string, number> = {};
  /** Timed-out samples left out because the harness itself was stalled for most of their time. */
  harnessStalled = 0;
  readonly check: C;
  constructor(check: C) {
    this.check = check;
  }

  add(s: ProbeSample): void {
    this.t.push(s.t);
    this.ok.push(s.ok);
    this.latencyMs.push(s.latencyMs);
    this.value.push(s.value ?? null);
    if (!s.ok) {
      const reason = s.error ?? 'failed';
      if (reason in this.errors || Object.keys(this.errors).length < MAX_REASONS) this.errors[reason] = (this.errors[reason] ?? 0) + 1;
      else this.errors['other'] = (this.errors['other'] ?? 0) + 1;
    }
  }

  series(): ProbeSeries {
    const { name, type, everyMs, availability } = this.check;
    return {
      name,
      type,
      everyMs,
      t: this.t,
      ok: this.ok,
      latencyMs: this.latencyMs,
      ...(type === 'promql' ? { value: this.value } : {}),
      errors: this.errors,
      ...(availability === false ? { availability } : {}),
      ...(this.harnessStalled > 0 ? { harnessStalled: this.harnessStalled } : {}),
    };
  }
}

export interface ProbeRunnerOptions {
  /** Epoch ms (on `clock`) that sample times are measured from. */
  readonly origin: number;
  /** Each sample as it is taken. */
  readonly onSample?: (s: ProbeSample) => void;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * When the harness itself was stalled, on the clock's epoch. @default an EventLoopStallWatch (wall
   * time) with the system clock; none with an injected clock, whose time a wall-clock watch does not share.
   */
  readonly stalls?: StallWatch;
}

/**
 * Samples every probe on its own fixed schedule (origin + k × every) until stopped. A sample that
 * overruns its slot (a browser journey, a timeout) makes the probe skip the slots it missed rather
 * than fire back to back. Memory is one entry per sample (4 per second for a 250 ms probe).
 * Disposing it stops it.
 */
export class ProbeRunner implements AsyncDisposable {
  readonly #builders: ProbeSeriesBuilder<ProbeCheck>[];
  readonly #origin: number;
  readonly #clock: Clock;
  readonly #stop = new AbortController();
  readonly #onSample: ((s: ProbeSample) => void) | undefined;
  readonly #stallsGiven: StallWatch | undefined;
  readonly #watchStalls: boolean;
  #stalls: StallWatch | undefined;
  #loops: Promise<void>[] = [];
  #stopping: Promise<void> | undefined;

  constructor(checks: readonly ProbeCheck[], o: ProbeRunnerOptions) {
    this.#builders = checks.map((c) => new ProbeSeriesBuilder(c));
    this.#origin = o.origin;
    this.#onSample = o.onSample;
    this.#clock = o.clock ?? systemClock;
    this.#stallsGiven = o.stalls;
    this.#watchStalls = o.stalls !== undefined || o.clock === undefined || o.clock === systemClock;
  }

  start(): void {
    if (this.#watchStalls) this.#stalls = this.#stallsGiven ?? new EventLoopStallWatch();
    this.#loops = this.#builders.map((b) => this.#loop(b));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Stops sampling (a sample in flight is abandoned, not recorded) and closes the probes. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stop.abort();
      await Promise.all(this.#loops);
      await Promise.all(this.#builders.map((b) => Promise.resolve(b.check[Symbol.asyncDispose]()).catch(() => {})));
      if (this.#stallsGiven === undefined) this.#stalls?.[Symbol.dispose]();
    })();
    return this.#stopping;
  }

  series(): ProbeSeries[] {
    return this.#builders.map((b) => b.series());
  }

  async #loop(b: ProbeSeriesBuilder<ProbeCheck>): Promise<void> {
    const signal = this.#stop.signal;
    const clock = this.#clock;
    const every = b.check.everyMs;
    let k = Math.max(0, Math.ceil((clock.epochMs() - this.#origin) / every));
    while (!signal.aborted) {
      const wait = this.#origin + k * every - clock.epochMs();
      if (wait > 0) await clock.sleep(wait, signal);
      if (signal.aborted) break;
      const started = clock.epochMs();
      const outcome = await b.check.run(signal);
      if (signal.aborted) break;
      const ended = clock.epochMs();
      // A timeout during which the harness could not run for half the time or more (the machine
      // starved it, its event loop was blocked) is the harness's, not the platform's: left out, and
      // counted in the series, rather than judged. An answer that came (a 503, say) always counts.
      if (!outcome.ok && outcome.error === 'timeout' && (this.#stalls?.stalledMs(started, ended) ?? 0) * 2 >= ended - started) {
        b.harnessStalled++;
        k = Math.max(k + 1, Math.ceil((clock.epochMs() - this.#origin) / every));
        continue;
      }
      const latencyMs = outcome.ok || outcome.error !== 'timeout' ? ended - started : null;
      // A sample says what the platform was like when its answer came (or its time ran out), not
      // when it was sent: a journey sent before a fault and broken by it is a breach after the fault.
      const sample: ProbeSample = { probe: b.check.name, t: ended - this.#origin, latencyMs, ...outcome };
      b.add(sample);
      this.#onSample?.(sample);
      // The next slot after now: an overrun skips slots instead of bunching samples.
      k = Math.max(k + 1, Math.ceil((clock.epochMs() - this.#origin) / every));
    }
  }
}
