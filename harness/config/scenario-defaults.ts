import { ROADMAP } from '../result/roadmap.ts';
import type { ChaosOptions, HttpOptions, SloOptions, SoakOptions, StressOptions } from './scenario-types.ts';

/**
 * Every default of a scenario, in one place, in the units users write them in (the resolver turns
 * them into ms with the rest). The roadmap's success metrics (result/roadmap.ts) are the SLOs and
 * the chaos expectations. `resolveScenario()` is the only reader: nothing downstream applies a
 * default. The option types' `@default` tags, which users' editors show, must say the same: a test
 * (scenario-defaults.test.ts) compares them.
 */
export const SCENARIO_DEFAULTS = {
  executor: {
    startTime: 0,
    /** k6 waits 30 s; iterations of the platform's flows take milliseconds, so 10 s is plenty and Ctrl-C stays quick. */
    gracefulStop: '10s',
    warmup: false,
    /** ramping-vus. */
    startVUs: 1,
    /** Arrival-rate executors. */
    timeUnit: '1s',
    /** ramping-arrival-rate. */
    startRate: 0,
  },
  /** A flow's share of iterations. */
  flowWeight: 1,
  http: { timeoutMs: 10_000, connections: 64, discardResponseBodies: false } satisfies Required<HttpOptions>,
  /** The roadmap's: p95 < 200 ms, errors < 1 %, cache hit rate > 80 %. */
  slos: { p95Ms: ROADMAP.p95Ms, errorRate: ROADMAP.errorRate, cacheHitRate: ROADMAP.cacheHitRate } satisfies Required<SloOptions>,
  stress: { window: '10s', minAchievedRatio: 0.95, stopAfterBrokenWindows: 3 } satisfies Required<StressOptions>,
  soak: { maxRssSlopeMbPerHour: 50, maxP95DriftMsPerHour: 100 } satisfies Required<SoakOptions>,
  /** A soak interval is an error burst above this many times the error-rate SLO, and never below `minBurstErrorRate`. */
  soakBurst: { factor: 5, minBurstErrorRate: 0.05 },
  steadyState: { window: '1s', recoverWindows: 5, recoveryTimeout: '60s' } satisfies Required<Omit<ChaosOptions['steadyState'], 'probes'>>,
  /** The data-loss ledger's writes per second. */
  ledger: { rate: 5 },
  /** The roadmap's: MTTR < 15 min, detection < 5 min, availability >= 99.9 %, no lost write; no alert required. */
  expect: {
    mttr: ROADMAP.mttrMs,
    detection: ROADMAP.detectionMs,
    availability: ROADMAP.availability,
    alert: false,
    lostWrites: ROADMAP.lostWrites,
  } satisfies Required<NonNullable<ChaosOptions['expect']>>,
  /** A fault step's weight in the resilience score (Litmus, 0-10). */
  faultWeight: 5,
  /** Per probe type; every probe counts in availability unless it says `availability: false`. */
  probes: {
    http: { every: '250ms', timeout: '1s', expectStatus: [200, 399], availability: true },
    /** No timeout option: a query gets the shorter of its interval and `maxTimeout`. */
    promql: { every: '1s', maxTimeout: '2s', absentOk: false, availability: true },
    datastore: { every: '1s', timeout: '1s', availability: true },
    browser: { every: '5s', timeout: '15s', availability: true },
  },
} as const;
