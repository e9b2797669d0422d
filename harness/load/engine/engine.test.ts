import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { IntervalSnapshot, LoadPlan, ResolvedExecutor } from '../engine-types.ts';
import { createBuiltinEngine } from './index.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

const PORT = 7801;
const scenarioFile = (name: string): string => fileURLToPath(new URL(`../../../fixtures/scenarios/engine/${name}.ts`, import.meta.url));
const engine = createBuiltinEngine();
let server: TestServer;

const base = { startTimeMs: 0, gracefulStopMs: 2000, tags: {} };
/**
 * A graceful stop no iteration outlasts, however busy the machine: the tests that count every scheduled
 * iteration must not lose one to the stop. A run still ends with its last iteration, not after this.
 */
const NO_CUT_MS = 60_000;
const flows = (name: string): ResolvedExecutor['flows'] => [{ name, weight: 1 }];

function plan(scenario: string, executors: ResolvedExecutor[], workers = 2): LoadPlan {
  return {
    scenarioFile: scenarioFile(scenario),
    scenarioName: scenario,
    baseUrl: server.url,
    executors,
    http: { timeoutMs: 10_000, connections: 32, discardResponseBodies: false },
    workers,
    seed: 1,
    intervalMs: 1000,
  };
}

/** Worker threads of this process still alive (a leftover would keep the test process running). */
const liveWorkers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length;

before(async () => {
  server = await startTestServer(PORT);
});
after(async () => {
  await server.close();
});

// These tests run the real engine (worker threads, undici, a local server) on wall time, beside other
// work on a shared machine. So they assert what holds however slow or busy the machine is: counts the
// schedule fixes, relations between the metrics, the order of events. When things happen on the
// schedule is tested on the injected clock (arrival-schedule.test.ts, vu-schedule.test.ts).
describe('builtin engine, open model', () => {
  it('(a) constant arrival rate 200/s for 3 s: each of the 600 scheduled iterations runs once, counted and timed', async () => {
    const snapshots: IntervalSnapshot[] = [];
    const r = await engine.run(
      plan('ping', [
        {
          ...base,
          name: 'steady',
          executor: 'constant-arrival-rate',
          flows: flows('ping'),
          ratePerSec: 200,
          durationMs: 3000,
          preAllocatedVUs: 20,
          // One VU per arrival at most: however late a busy machine runs them, none is dropped.
          maxVUs: 600,
          gracefulStopMs: NO_CUT_MS,
        },
      ]),
      { onInterval: (s) => snapshots.push(s) },
    );
    assert.equal(r.view.counter('iterations')!.count, 600);
    assert.equal(r.droppedIterations, 0);
    assert.equal(r.view.counter('http_reqs')!.count, 600);
    assert.equal(r.requests.length, 1);
    const row = r.requests[0]!;
    assert.deepEqual({ name: row.name, method: row.method, count: row.count, failed: row.failed }, { name: 'GET /ok', method: 'GET', count: 600, failed: 0 });
    assert.deepEqual(row.statuses, { '200': 600 });
    // The table's percentiles are those of the request's latency samples, one per request.
    const latency = r.view.trend('http_req_duration', { name: 'GET /ok', expected_response: 'true' })!;
    assert.equal(latency.count, 600);
    assert.deepEqual([row.p50Ms, row.p95Ms, row.p99Ms, row.maxMs], [latency.med, latency['p(95)'], latency['p(99)'], latency.max]);
    assert.ok(row.p50Ms > 0 && row.p50Ms <= row.p95Ms && row.p95Ms <= row.p99Ms && row.p99Ms <= row.maxMs, JSON.stringify(row));
    assert.deepEqual(r.checks, [{ name: 'status is 200', passes: 600, fails: 0 }]);
    assert.equal(r.view.rate('http_req_failed')!.rate, 0);
    assert.equal(r.view.trend('iteration_lag')!.count, 600);
    // The series: one point per interval on the 1 s grid, the target rate in each second of the schedule,
    // one live snapshot per point, the last one counting every request.
    assert.ok(r.series.t.length >= 3, `series points ${r.series.t.length}`);
    assert.deepEqual(
      r.series.t,
      r.series.t.map((_, i) => i * 1000),
    );
    assert.deepEqual(r.series.targetRps.slice(0, 3), [200, 200, 200]);
    assert.equal(snapshots.length, r.series.t.length);
    assert.deepEqual(snapshots[0]!.active, ['steady']);
    assert.deepEqual(
      { requests: snapshots.at(-1)!.requests, iterations: snapshots.at(-1)!.iterations, dropped: snapshots.at(-1)!.dropped },
      { requests: 600, iterations: 600, dropped: 0 },
    );
    assert.deepEqual(r.phases, [{ name: 'steady: 200/s', kind: 'steady', startMs: 0, endMs: 3000 }]);
    assert.equal(r.stoppedEarly, false);
    assert.equal(r.workers, 2);
    // Never shorter than its schedule; over with its last iteration, not at the end of the graceful stop.
    assert.ok(r.durationMs >= 3000 && r.durationMs < 3000 + NO_CUT_MS, `duration ${r.durationMs}`);
    // The 20 pre-allocated VUs, plus more when the machine delays responses.
    const vusMax = r.view.gauge('vus_max')!.value;
    assert.ok(vusMax >= 20 && vusMax <= 600, `vus_max ${vusMax}`);
    assert.equal(liveWorkers(), 0);
  });

  it('(b) a server stalling 300 ms with maxVUs 4: the arrivals no VU was free for are dropped and counted, never delayed', async () => {
    const r = await engine.run(
      plan('slow', [
        {
          ...base,
          name: 'slow',
          executor: 'constant-arrival-rate',
          flows: flows('slow'),
          ratePerSec: 50,
          durationMs: 2000,
          preAllocatedVUs: 2,
          maxVUs: 4,
          gracefulStopMs: NO_CUT_MS,
        },
      ]),
    );
    const iterations = r.view.counter('iterations')!.count;
    // Each of the 100 arrivals either ran to its end or was dropped.
    assert.equal(iterations + r.droppedIterations, 100);
    // 4 VUs held 300 ms per iteration cannot run half of 50/s, whatever the machine.
    assert.ok(iterations < 50 && r.droppedIterations > 50, `iterations ${iterations}, dropped ${r.droppedIterations}`);
    assert.equal(r.view.gauge('vus_max')!.value, 4, 'never more VUs than maxVUs');
    assert.ok(r.view.trend('http_req_duration')!['p(95)'] >= 300);
    assert.equal(
      r.series.dropped.reduce((a, b) => a + b, 0),
      r.droppedIterations,
    );
    assert.equal(r.requests[0]!.name, 'stall');
  });

  it('(c) coordinated omission: a 3 s stall reaches every iteration due during it in the open model, one per VU in the closed one', async (t) => {
    /**
     * Runs `executor` with every response held for 3 s from 1 s into the run; returns how many answers took 2 s
     * or more. Only the stall makes a loopback answer that slow, even on a busy machine (where answers of half
     * a second happen now and then).
     */
    const slowAnswers = async (executor: ResolvedExecutor): Promise<number> => {
      let stall: NodeJS.Timeout | undefined;
      const r = await engine.run(plan('ping', [executor], 1), { onStart: () => void (stall = setTimeout(() => server.pause(3000), 1000)) });
      clearTimeout(stall);
      const within = r.checks.find((c) => c.name === 'within 2 s')!;
      assert.equal(within.passes + within.fails, r.view.counter('iterations')!.count);
      return within.fails;
    };
    const open = await slowAnswers({
      ...base,
      name: 'open',
      executor: 'constant-arrival-rate',
      flows: flows('timed'),
      ratePerSec: 100,
      durationMs: 5000,
      preAllocatedVUs: 10,
      maxVUs: 500,
      gracefulStopMs: NO_CUT_MS,
    });
    const closed = await slowAnswers({
      ...base,
      name: 'closed',
      executor: 'constant-vus',
      flows: flows('timed'),
      vus: 2,
      durationMs: 5000,
      gracefulStopMs: NO_CUT_MS,
    });
    t.diagnostic(`answers of 2 s or more: open model ${open}, closed model ${closed}`);
    // The open model starts iterations on schedule, each request timed from its start (also while it waits for
    // one of the 32 connections): the ~100 due in the stall's first second each took 2 s or more.
    assert.ok(open >= 50, `open model: ${open} answers of 2 s or more`);
    // A closed-model VU sends one request into the stall and waits it out, sending nothing more: one slow answer
    // per VU, and the rest of the stall is omitted from its samples.
    assert.ok(closed >= 1 && closed <= 2, `closed model: ${closed} answers of 2 s or more`);
  });

  it('(c) an iteration started late (blocked event loop) is timed from its intended start', async () => {
    const r = await engine.run(
      plan(
        'blocker',
        [
          {
            ...base,
            name: 'steady',
            executor: 'constant-arrival-rate',
            flows: flows('ping'),
            ratePerSec: 100,
            durationMs: 2000,
            preAllocatedVUs: 1,
            maxVUs: 200,
            gracefulStopMs: NO_CUT_MS,
          },
        ],
        1,
      ),
    );
    // Late, not dropped: every one of the 200 arrivals ran.
    assert.equal(r.droppedIterations, 0);
    assert.equal(r.view.counter('iterations')!.count, 200);
    const lag = r.view.trend('iteration_lag')!;
    // The flow blocked the worker for 400 ms: the iterations due meanwhile started up to ~400 ms late.
    assert.ok(lag.max >= 350, `lag max ${lag.max}`);
    // One request per iteration, timed from the iteration's intended start, so never shorter than the
    // iteration's lag: the latency distribution lies at or above the lag's at every percentile.
    const latency = r.view.trend('http_req_duration')!;
    assert.equal(latency.count, lag.count);
    for (const p of ['med', 'p(90)', 'p(95)', 'p(99)', 'max'] as const) assert.ok(latency[p] >= lag[p], `${p}: latency ${latency[p]} ms < lag ${lag[p]} ms`);
  });

  it('(d) aborting mid-run returns a partial result, aborts stuck requests, leaves no worker', async () => {
    const ac = new AbortController();
    const r = await engine.run(
      plan('slow', [
        {
          ...base,
          name: 'stuck',
          executor: 'constant-arrival-rate',
          flows: flows('stuck'),
          ratePerSec: 20,
          durationMs: 10_000,
          preAllocatedVUs: 5,
          maxVUs: 500,
          gracefulStopMs: 300,
        },
        { ...base, name: 'closed', executor: 'constant-vus', flows: flows('slow'), vus: 2, durationMs: 10_000, gracefulStopMs: 300 },
      ]),
      // Abort once two iterations are done: closed-model ones of 300 ms (a stuck one takes 10 s).
      { signal: ac.signal, onInterval: (s) => void (s.iterations >= 2 && ac.abort()) },
    );
    assert.equal(r.stoppedEarly, true);
    // The 10 s requests were cut after the graceful stop, not recorded; the run ended before its planned 10 s.
    assert.equal(r.view.counter('http_reqs', { name: 'stuck' })!.count, 0);
    // Cut by the stop, not left to run on and abandoned later (that would be a flow error).
    assert.deepEqual(r.flowErrors, {});
    assert.ok(r.durationMs < 10_000, `duration ${r.durationMs}`);
    assert.ok(r.series.t.length >= 1);
    assert.ok(r.view.counter('iterations', { scenario: 'closed' })!.count >= 2);
    assert.equal(liveWorkers(), 0);
  });
});

describe('builtin engine, closed model and flow API', () => {
  it('(e) a flow that throws is counted in flowErrors and the VU goes on', async () => {
    const r = await engine.run(
      plan('flaky', [{ ...base, name: 'steady', executor: 'constant-vus', flows: flows('flaky'), vus: 2, durationMs: 1000, gracefulStopMs: NO_CUT_MS }]),
    );
    const iterations = r.view.counter('iterations')!.count;
    // Two VUs: more than 6 iterations means one went on past its third, which threw.
    assert.ok(iterations > 6, `iterations ${iterations}`);
    // Each VU throws in its iterations 2, 5, 8, ...: floor(n / 3) of its n, so between (total - 4) / 3 and total / 3.
    const boom = r.flowErrors.boom ?? 0;
    assert.ok(boom >= (iterations - 4) / 3 && boom <= iterations / 3, `boom ${boom} of ${iterations}`);
    assert.equal(r.view.counter('http_reqs')!.count, iterations);
  });

  it('(f) checks, cache_hit, expect and failures are counted', async () => {
    const r = await engine.run(
      plan(
        'cache-checks',
        [{ ...base, name: 'steady', executor: 'constant-vus', flows: flows('browse'), vus: 1, durationMs: 1000, gracefulStopMs: NO_CUT_MS }],
        1,
      ),
    );
    const n = r.view.counter('iterations')!.count;
    assert.ok(n >= 2, `iterations ${n}: a hit and a miss`);
    const checks = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    assert.equal(checks['is 200']!.passes, n);
    assert.equal(checks['is 201']!.fails, n);
    assert.equal(r.view.rate('checks')!.rate, 0.5);
    // Iteration k reads /cache/k: a hit for even k, a miss for odd k.
    const cache = r.view.rate('cache_hit')!;
    assert.deepEqual({ hits: cache.passes, misses: cache.fails }, { hits: Math.ceil(n / 2), misses: Math.floor(n / 2) });
    assert.ok(r.series.cacheHitRate.some((x) => x !== null));
    assert.deepEqual(Object.keys(r.series.requestP95Ms!).sort(), ['missing', 'product', 'unavailable']);
    for (const column of Object.values(r.series.requestP95Ms!)) assert.equal(column.length, r.series.t.length);
    const rows = Object.fromEntries(r.requests.map((row) => [row.name, row]));
    assert.equal(rows.missing!.failed, 0);
    assert.deepEqual(rows.missing!.statuses, { '404': n });
    assert.equal(rows.unavailable!.failed, n);
    assert.equal(r.view.rate('http_req_failed')!.passes, n);
    assert.equal(r.view.trend('http_req_duration', { expected_response: 'false' })!.count, n);
    assert.ok(r.view.counter('data_received')!.count > 0 && r.view.counter('data_sent')!.count > 0);
  });

  it('ramping-vus follows its stages: each of its 4 VUs runs, and all have stopped at the end', async () => {
    const r = await engine.run(
      plan('ping', [
        {
          ...base,
          name: 'ramp',
          executor: 'ramping-vus',
          flows: flows('per-vu'),
          startVUs: 0,
          stages: [
            { durationMs: 1000, target: 4 },
            { durationMs: 1000, target: 4 },
            { durationMs: 1000, target: 0 },
          ],
          gracefulStopMs: NO_CUT_MS,
        },
      ]),
    );
    assert.equal(r.view.gauge('vus_max')!.value, 4);
    // The flow names each request after its VU: the 4 VUs of the stages ran iterations, and no other.
    assert.deepEqual(
      r.requests.map((row) => row.name),
      ['vu 1', 'vu 2', 'vu 3', 'vu 4'],
    );
    assert.equal(r.view.gauge('vus')!.value, 0, 'ramped down to none');
    assert.deepEqual(
      r.phases.map((p) => p.kind),
      ['ramp', 'steady', 'ramp'],
    );
    assert.equal(r.series.targetRps[0], null);
  });

  it('a scenario that fails to load rejects the run', async () => {
    await assert.rejects(
      engine.run({ ...plan('ping', [{ ...base, name: 'x', executor: 'constant-vus', flows: flows('nope'), vus: 1, durationMs: 100 }]) }),
      /no flow named nope/,
    );
    assert.equal(liveWorkers(), 0);
  });
});
