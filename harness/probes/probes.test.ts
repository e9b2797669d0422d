import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { startRedisTestCluster, type RedisTestCluster } from '../../test/support/test-redis-cluster.ts';
import { startTestPostgres, type TestPostgres } from '../../test/support/test-postgres.ts';
import { resolveProbe } from '../config/resolve-chaos.ts';
import { createProbe } from './create-probe.ts';
import type { ProbeCheck } from './probe-check.ts';
import { ProbeRunner } from './probe-runner.ts';

// Ports in the ad-hoc range 7800-7849 (the engine test uses 7801, the bench 7840-7844).
const HTTP_PORT = 7811;
const PG_PORT = 7812;
const REDIS_PORTS = [7813, 7814, 7815, 7816, 7817, 7818];
const REDIS_BUS = [7823, 7824, 7825, 7826, 7827, 7828];

const abort = new AbortController().signal;

describe('probes', () => {
  let server: Server;
  let status = 200;
  let delayMs = 0;
  before(async () => {
    server = createServer((_req, res) => {
      setTimeout(() => res.writeHead(status).end('x'), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(HTTP_PORT, '127.0.0.1', resolve));
  });
  after(() => server.close());

  it('http: good on an expected status, bad with a stable reason on a bad one, a timeout or a refusal', async () => {
    const target = { baseUrl: `http://127.0.0.1:${HTTP_PORT}` };
    await using probe = createProbe(resolveProbe({ type: 'http', name: 'ready', path: '/readyz', timeout: '200ms' }), target);
    status = 200;
    assert.deepEqual(await probe.run(abort), { ok: true });
    status = 503;
    assert.deepEqual(await probe.run(abort), { ok: false, error: 'status 503' });
    status = 204;
    await using exact = createProbe(resolveProbe({ type: 'http', name: 'exact', path: '/', expectStatus: 200 }), target);
    assert.deepEqual(await exact.run(abort), { ok: false, error: 'status 204' });
    status = 200;
    delayMs = 500;
    assert.deepEqual(await probe.run(abort), { ok: false, error: 'timeout' });
    delayMs = 0;
    await using refused = createProbe(resolveProbe({ type: 'http', name: 'nobody', path: '/', timeout: '500ms' }), { baseUrl: 'http://127.0.0.1:7849' });
    assert.deepEqual(await refused.run(abort), { ok: false, error: 'ECONNREFUSED' });
  });

  it('promql: a target without Prometheus gives bad samples, never a pass', async () => {
    await using probe = createProbe(resolveProbe({ type: 'promql', name: 'errors', query: 'vector(0)', tolerance: { max: 0.01 } }), {
      baseUrl: 'http://127.0.0.1:1',
    });
    assert.deepEqual(await probe.run(abort), { ok: false, value: null, error: 'the target has no Prometheus' });
  });

  it('runner: samples on a fixed schedule, skips the slots a slow sample overran, groups failures', async () => {
    const clock = new FakeClock({ epochMs: 0 });
    let calls = 0;
    // A probe that takes 120 ms on a 50 ms schedule, failing every other time.
    const slow: ProbeCheck = {
      name: 'slow',
      type: 'http',
      everyMs: 50,
      timeoutMs: 1000,
      run: async (signal) => {
        calls += 1;
        await clock.sleep(120, signal);
        return calls % 2 === 0 ? { ok: false, error: 'status 500' } : { ok: true };
      },
      [Symbol.asyncDispose]: async () => {},
    };
    const seen: number[] = [];
    await using runner = new ProbeRunner([slow], { origin: clock.epochMs(), onSample: (s) => seen.push(s.t), clock });
    runner.start();
    await clock.advance(700);
    await runner.stop();
    const [series] = runner.series();
    assert.ok(series);
    assert.deepEqual(series.t, seen, 'every recorded sample was reported live');
    // Started on the 50 ms grid at 0, 150, 300, 450 (the slots a 120 ms sample overran are skipped, not
    // caught up back to back); t is when each answer came. The one started at 600 was in flight at stop().
    assert.deepEqual(series.t, [120, 270, 420, 570]);
    assert.deepEqual(series.latencyMs, [120, 120, 120, 120]);
    assert.deepEqual(series.ok, [true, false, true, false]);
    assert.deepEqual(series.errors, { 'status 500': 2 });
    assert.equal(calls, 5, 'the sample in flight at stop() is dropped, not recorded');
  });

  it('runner: a timeout while the harness itself was stalled for most of it is left out and counted; an answer during a stall counts', async () => {
    const clock = new FakeClock({ epochMs: 0 });
    let calls = 0;
    // Times out (after 100 ms) on calls 1 and 3, answers 503 on call 2, on a 200 ms schedule.
    const probe: ProbeCheck = {
      name: 'edge',
      type: 'http',
      everyMs: 200,
      timeoutMs: 100,
      run: async (signal) => {
        calls += 1;
        await clock.sleep(100, signal);
        return calls === 2 ? { ok: false, error: 'status 503' } : { ok: false, error: 'timeout' };
      },
      [Symbol.asyncDispose]: async () => {},
    };
    // The harness was stalled from 0 to 300 ms (calls 1 and 2), and not at all for call 3 (400-500 ms).
    const stalls = { stalledMs: (from: number, to: number) => Math.max(0, Math.min(to, 300) - Math.max(from, 0)), [Symbol.dispose]: () => {} };
    await using runner = new ProbeRunner([probe], { origin: clock.epochMs(), clock, stalls });
    runner.start();
    await clock.advance(550);
    await runner.stop();
    const [series] = runner.series();
    assert.ok(series);
    assert.deepEqual(series.t, [300, 500], 'the timeout of call 1 is not judged');
    assert.deepEqual(series.ok, [false, false]);
    assert.deepEqual(series.errors, { 'status 503': 1, timeout: 1 }, "the 503 came during the stall and counts; call 3's timeout had no stall");
    assert.equal(series.harnessStalled, 1);
  });

  describe('datastore', () => {
    let pg: TestPostgres;
    let redis: RedisTestCluster;
    const dir = mkdtempSync(join(tmpdir(), 'crucible-probe-redis-'));
    before(async () => {
      [pg, redis] = await Promise.all([
        startTestPostgres(PG_PORT),
        startRedisTestCluster({ dir, ports: REDIS_PORTS, busPorts: REDIS_BUS, password: 'probe-test' }),
      ]);
    });
    after(async () => {
      await Promise.all([pg?.stop(), redis?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('PostgreSQL and the Redis Cluster: good while they serve, bad once they are gone', async () => {
      const target = {
        baseUrl: 'http://127.0.0.1:1',
        postgres: { host: pg.host, port: pg.port, user: pg.user, password: '', database: pg.database },
        redis: { nodes: redis.nodes, password: redis.password },
      };
      const postgres = createProbe(resolveProbe({ type: 'datastore', name: 'pg', store: 'postgres' }), target);
      const cluster = createProbe(resolveProbe({ type: 'datastore', name: 'redis', store: 'redis' }), target);
      assert.deepEqual(await postgres.run(abort), { ok: true });
      assert.deepEqual(await cluster.run(abort), { ok: true });
      const wrongPassword = createProbe(resolveProbe({ type: 'datastore', name: 'redis', store: 'redis' }), {
        ...target,
        redis: { nodes: redis.nodes, password: 'nope' },
      });
      assert.equal((await wrongPassword.run(abort)).ok, false, 'a node that refuses us is not a healthy cluster');
      await Promise.all([pg.stop(), redis.stop()]);
      assert.deepEqual(await postgres.run(abort), { ok: false, error: 'ECONNREFUSED' });
      assert.deepEqual(await cluster.run(abort), { ok: false, error: 'ECONNREFUSED' });
    });
  });
});
