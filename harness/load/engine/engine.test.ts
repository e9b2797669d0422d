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

describe('builtin engine, open model', () => {
  it('(a) constant arrival rate 200/s for 3 s: ~600 iterations, requests, series, phases', async () => {
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
          maxVUs: 200,
        },
      ]),
      { onInterval: (s) => snapshots.push(s) },
    );
    const iterations = r.view.counter('iterations')!.count;
    assert.ok(Math.abs(iterations - 600) <= 12, `iterations ${iterations}`);
    assert.equal(r.view.counter('http_reqs')!.count, iterations);
    assert.equal(r.droppedIterations, 0);
    assert.equal(r.requests.length, 1);
    assert.equal(r.requests[0]!.name, 'GET /ok');
    assert.equal(r.requests[0]!.method, 'GET');
    assert.equal(r.requests[0]!.count, iterations);
    assert.deepEqual(r.requests[0]!.statuses, { '200': iterations });
    assert.ok(r.requests[0]!.p95Ms > 0 && r.requests[0]!.p95Ms < 200);
    assert.deepEqual(r.checks, [{ name: 'status is 200', passes: iterations, fails: 0 }]);
    assert.equal(r.view.rate('http_req_failed')!.rate, 0);
    assert.ok(r.view.trend('iteration_lag')!.count === iterations);
    assert.ok(r.series.t.length >= 3 && r.series.t.length <= 4, `series points ${r.series.t.length}`);
    assert.ok(Math.abs(r.series.rps[1]! - 200) < 20, `rps ${r.series.rps[1]}`);
    assert.equal(r.series.targetRps[1], 200);
    assert.equal(snapshots.length, r.series.t.length);
    assert.deepEqual(snapshots[0]!.active, ['steady']);
    assert.deepEqual(r.phases, [{ name: 'steady: 200/s', kind: 'steady', startMs: 0, endMs: 3000 }]);
    assert.equal(r.stoppedEarly, false);
    assert.equal(r.workers, 2);
    assert.ok(r.durationMs >= 3000 && r.durationMs < 4000, `duration ${r.durationMs}`);
    assert.equal(r.view.trend('http_req_duration', { name: 'GET /ok', expected_response: 'true' })!.count, iterations);
    // The 20 pre-allocated VUs, plus more when a busy machine (CI runs test files side by side)
    // delays responses; maxVUs leaves room for a stall of a second, so nothing is dropped.
    const vusMax = r.view.gauge('vus_max')!.value;
    assert.ok(vusMax >= 20 && vusMax <= 200, `vus_max ${vusMax}`);
    assert.equal(liveWorkers(), 0);
  });

  it('(b) a server stalling 300 ms with a small maxVUs: dropped iterations, p95 >= 300 ms', async () => {
    const r = await engine.run(
      plan('slow', [
        { ...base, name: 'slow', executor: 'constant-arrival-rate', flows: flows('slow'), ratePerSec: 50, durationMs: 2000, preAllocatedVUs: 2, maxVUs: 4 },
      ]),
    );
    assert.ok(r.droppedIterations > 0, `dropped ${r.droppedIterations}`);
    // 4 VUs, 300 ms each: ~13 iterations/s of the 50 planned.
    assert.ok(r.view.counter('iterations')!.count < 50);
    assert.ok(r.view.trend('http_req_duration')!['p(95)'] >= 300);
    assert.ok(r.series.dropped.reduce((a, b) => a + b, 0) === r.droppedIterations);
    assert.equal(r.requests[0]!.name, 'stall');
  });

  it('(c) coordinated omission: a 1 s stall of every response shows in p99 of the open model, not the closed one', async () => {
    const run = async (executor: ResolvedExecutor): Promise<number> => {
      const timer = setTimeout(() => server.pause(1000), 1000);
      const r = await engine.run(plan('ping', [executor], 1));
      clearTimeout(timer);
      assert.ok(r.view.trend('http_req_duration')!.max >= 900, 'the stall was seen');
      return r.view.trend('http_req_duration')!['p(99)'];
    };
    const open = await run({
      ...base,
      name: 'open',
      executor: 'constant-arrival-rate',
      flows: flows('ping'),
      ratePerSec: 100,
      durationMs: 3000,
      preAllocatedVUs: 10,
      maxVUs: 200,
    });
    const closed = await run({ ...base, name: 'closed', executor: 'constant-vus', flows: flows('ping'), vus: 2, durationMs: 3000 });
    assert.ok(open >= 500, `open-model p99 ${open}`);
    // Two VUs wait out the stall and then carry on: one slow sample each among thousands.
    assert.ok(closed < 500, `closed-model p99 ${closed}`);
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
            maxVUs: 50,
          },
        ],
        1,
      ),
    );
    const lag = r.view.trend('iteration_lag')!;
    assert.ok(lag.max >= 350, `lag max ${lag.max}`);
    // ~40 iterations were due during the block: their requests' latency includes it, though the server answered at once.
    const latency = r.view.trend('http_req_duration')!;
    assert.ok(latency.max >= 350 && latency['p(95)'] >= 100, `latency max ${latency.max} p95 ${latency['p(95)']}`);
    assert.equal(r.droppedIterations, 0);
  });

  it('(d) aborting mid-run returns a partial result, aborts stuck requests, leaves no worker', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1000);
    const started = Date.now();
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
      { signal: ac.signal },
    );
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    assert.equal(r.stoppedEarly, true);
    assert.ok(r.durationMs < 3000);
    assert.ok(r.series.t.length >= 1);
    // Closed-model iterations of 300 ms completed before the stop; the 10 s requests were cut, not recorded.
    assert.ok(r.view.counter('iterations', { scenario: 'closed' })!.count >= 2);
    assert.equal(r.view.counter('http_reqs', { name: 'stuck' })!.count, 0);
    assert.equal(liveWorkers(), 0);
  });
});

describe('builtin engine, closed model and flow API', () => {
  it('(e) a flow that throws is counted in flowErrors and the VU goes on', async () => {
    const r = await engine.run(plan('flaky', [{ ...base, name: 'steady', executor: 'constant-vus', flows: flows('flaky'), vus: 2, durationMs: 1000 }]));
    const iterations = r.view.counter('iterations')!.count;
    assert.ok(iterations > 30, `iterations ${iterations}`);
    const boom = r.flowErrors.boom!;
    assert.ok(Math.abs(boom - iterations / 3) <= 2, `boom ${boom} of ${iterations}`);
    assert.equal(r.view.counter('http_reqs')!.count, iterations);
  });

  it('(f) checks, cache_hit, expect and failures are counted', async () => {
    const r = await engine.run(
      plan('cache-checks', [{ ...base, name: 'steady', executor: 'constant-vus', flows: flows('browse'), vus: 1, durationMs: 1000 }], 1),
    );
    const n = r.view.counter('iterations')!.count;
    assert.ok(n > 10);
    const checks = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    assert.equal(checks['is 200']!.passes, n);
    assert.equal(checks['is 201']!.fails, n);
    assert.equal(r.view.rate('checks')!.rate, 0.5);
    const cache = r.view.rate('cache_hit')!;
    assert.equal(cache.passes + cache.fails, n);
    assert.ok(Math.abs(cache.rate - 0.5) < 0.1);
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

  it('ramping-vus follows its stages and counts VUs', async () => {
    const r = await engine.run(
      plan('ping', [
        {
          ...base,
          name: 'ramp',
          executor: 'ramping-vus',
          flows: flows('ping'),
          startVUs: 0,
          stages: [
            { durationMs: 1000, target: 4 },
            { durationMs: 1000, target: 4 },
            { durationMs: 1000, target: 0 },
          ],
        },
      ]),
    );
    assert.equal(r.view.gauge('vus_max')!.value, 4);
    assert.ok(r.view.gauge('vus')!.max >= 3);
    assert.ok(r.view.counter('iterations')!.count > 100);
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
