import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OobListener } from './oob-listener.ts';

describe('OobListener', () => {
  it('answers the canary by default and records each connection and request', async () => {
    await using l = await OobListener.start();
    const res = await fetch(`${l.origin}/ssrf/abc`, { headers: { 'x-probe': '1' } });
    assert.equal(await res.text(), l.canary);
    const requests = l.arrivals.flatMap((a) => (a.request ? [a.request] : []));
    assert.deepEqual(
      requests.map((r) => [r.method, r.url, r.headers['x-probe']]),
      [['GET', '/ssrf/abc', '1']],
    );
    assert.ok(
      l.arrivals.some((a) => !a.request && a.listener === '127.0.0.1'),
      'the connection itself is an arrival',
    );
  });

  it('serves the answer it is given, and redirects where told', async () => {
    await using l = await OobListener.start({ answer: { contentType: 'application/json', body: '{"keys":[]}' } });
    const res = await fetch(`${l.origin}/jwks.json`);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { keys: [] });
    const redirect = await fetch(l.redirectTo('http://127.0.0.1:9/internal'), { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), 'http://127.0.0.1:9/internal');
  });

  it('stops listening once disposed', async () => {
    let origin: string;
    {
      await using l = await OobListener.start();
      origin = l.origin;
    }
    await assert.rejects(fetch(origin));
  });
});
