import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock, type Clock } from '../../util/clock.ts';
import { FlowScope } from './flow-scope.ts';
import { createHttpClient, type VuRequestState } from './http-client.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { MetricRecorder } from './metric-recorder.ts';
import { OriginPools } from './origin-pools.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

const PORT = 7802;
const CLOSED_PORT = 7849;
let server: TestServer;
const pools = new OriginPools(4, 2000);

function client(opts: { baseUrl?: string; discard?: boolean; timeoutMs?: number; clock?: Clock } = {}) {
  const recorder = new MetricRecorder();
  const state: VuRequestState = {
    scope: new FlowScope(recorder, 'exec', 'flow', { team: 'a' }),
    lateOrigin: undefined,
    inflight: new Set(),
    signal: new AbortController().signal,
  };
  const http = createHttpClient({
    pools,
    baseUrl: opts.baseUrl ?? server.url,
    timeoutMs: opts.timeoutMs ?? 2000,
    discardResponseBodies: opts.discard ?? false,
    clock: opts.clock ?? systemClock,
    state,
  });
  return { http, recorder, state };
}

before(async () => {
  server = await startTestServer(PORT);
});
after(async () => {
  await pools[Symbol.asyncDispose]();
  await server.close();
});

describe('createHttpClient()', () => {
  it('token, json and the default name; samples tagged with request and executor tags', async () => {
    const { http, recorder } = client();
    const res = await http.post('/echo/42?x=1', { token: 't0k', json: { a: 1 }, tags: { kind: 'write' } });
    assert.equal(res.status, 200);
    assert.equal(res.ok, true);
    assert.deepEqual(res.json(), { method: 'POST', url: '/echo/42?x=1', authorization: 'Bearer t0k', contentType: 'application/json', body: '{"a":1}' });
    assert.ok(res.durationMs > 0);
    const delta = recorder.flush();
    const reqs = delta.counters.find((c) => c.metric === 'http_reqs')!;
    assert.deepEqual(reqs.tags, {
      team: 'a',
      scenario: 'exec',
      flow: 'flow',
      kind: 'write',
      name: 'POST /echo/:id',
      method: 'POST',
      status: '200',
      expected_response: 'true',
    });
    assert.ok(delta.counters.find((c) => c.metric === 'data_sent')!.value > 7);
    assert.ok(delta.trends.some((t) => t.metric === 'http_req_waiting'));
  });

  it('graphql() posts the operation, or a batch, to /graphql under the base path', async () => {
    const { http } = client({ baseUrl: `${server.url}/echo` });
    const one = (await http.graphql({ query: '{ a }' })).json<{ url: string; body: string }>();
    assert.equal(one.url, '/echo/graphql');
    assert.deepEqual(JSON.parse(one.body), { query: '{ a }' });
    const batch = (await http.graphql([{ query: '{ a }' }, { query: '{ b }', variables: { x: 1 } }])).json<{ body: string }>();
    assert.equal(JSON.parse(batch.body).length, 2);
  });

  it('discarded bodies read as empty but are counted', async () => {
    const { http, recorder } = client({ discard: true });
    const res = await http.get('/ok');
    assert.equal(res.body, '');
    assert.ok(recorder.flush().counters.find((c) => c.metric === 'data_received')!.value >= 2);
  });

  it('timeouts and refused connections are status-0 responses, never exceptions', async () => {
    const { http, recorder } = client({ timeoutMs: 200 });
    const slow = await http.get('/stall?ms=1500');
    assert.equal(slow.status, 0);
    assert.equal(slow.error, 'timeout');
    assert.equal(slow.ok, false);
    const refused = await http.get(`http://127.0.0.1:${CLOSED_PORT}/x`);
    assert.equal(refused.status, 0);
    assert.equal(refused.error, 'connect');
    const failed = recorder.flush().rates.filter((r) => r.metric === 'http_req_failed');
    assert.equal(
      failed.reduce((n, r) => n + r.nonZero, 0),
      2,
    );
  });

  it('the first request of a late iteration is timed from the intended start', async () => {
    // Time stands still on this clock: a request's duration is exactly how far before "now" its timing starts.
    const clock = new FakeClock({ monotonicMs: 10_000 });
    const { http, state } = client({ clock });
    state.lateOrigin = clock.monotonicMs() - 500;
    const first = await http.get('/ok');
    const second = await http.get('/ok');
    assert.equal(first.durationMs, 500, 'the 500 ms of lateness are in the first request');
    assert.equal(second.durationMs, 0, 'and only in the first');
    assert.equal(state.lateOrigin, undefined);
  });

  it('after the VU is stopped, a new request rejects (the iteration unwinds)', async () => {
    const { http, state } = client();
    const ac = new AbortController();
    state.signal = ac.signal;
    ac.abort(new Error('stopped'));
    await assert.rejects(http.get('/ok'), /stopped/);
  });
});
