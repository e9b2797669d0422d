import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, type PlatformFixture } from '../platform-fixture.ts';

/** Product ids no other test reads, so each test starts from a cold key. */
let nextCold = 9_000 + Math.floor(Math.random() * 500);
const coldId = (): number => nextCold++;

export function cacheSuite(p: () => PlatformFixture): void {
  describe('read-through cache', () => {
    it('misses, then hits, and both are counted in the gateway metrics', async () => {
      const id = coldId();
      const [hits0, misses0] = await Promise.all([
        p().gatewayMetric('gateway_cache_hits_total', { cache: 'product' }),
        p().gatewayMetric('gateway_cache_misses_total', { cache: 'product' }),
      ]);
      const first = await call(`${p().edge}/api/products/${id}`);
      const second = await call(`${p().edge}/api/products/${id}`);
      assert.equal(first.status, 200);
      assert.equal(first.headers['x-cache'], 'miss');
      assert.equal(second.headers['x-cache'], 'hit');
      assert.deepEqual(second.body, first.body);
      const [hits1, misses1] = await Promise.all([
        p().gatewayMetric('gateway_cache_hits_total', { cache: 'product' }),
        p().gatewayMetric('gateway_cache_misses_total', { cache: 'product' }),
      ]);
      assert.equal(misses1 - misses0, 1);
      assert.equal(hits1 - hits0, 1);
    });

    it('fetches a cold key from the origin once for 50 concurrent reads spread over both replicas (5 keys in a row)', async () => {
      // Several rounds: the races a stampede guard can lose (fill finishing between a reader's look and
      // its lock) only show up now and then.
      for (let round = 0; round < 5; round++) {
        const id = coldId();
        const before = await p().catalogMetric('catalog_origin_reads_total');
        const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => call(`${p().gateways[i % p().gateways.length]}/api/products/${id}`)));
        const after = await p().catalogMetric('catalog_origin_reads_total');
        assert.ok(
          replies.every((r) => r.status === 200),
          `all 200: ${replies.map((r) => r.status).join(',')}`,
        );
        assert.equal(new Set(replies.map((r) => r.text)).size, 1, 'every reader got the same product');
        assert.equal(after - before, 1, `round ${round + 1}: exactly one product row read from PostgreSQL`);
      }
    });

    it('invalidates the entry when an admin updates the product', async () => {
      const id = coldId();
      const admin = await p().login('admin', 'admin-pass-0001');
      await call(`${p().edge}/api/products/${id}`);
      const cached = await call(`${p().edge}/api/products/${id}`);
      assert.equal(cached.headers['x-cache'], 'hit');
      const price = Math.round(Math.random() * 100_000) / 100 + 1;
      const put = await call(`${p().edge}/api/products/${id}`, 'PUT', { token: admin.accessToken, body: { price } });
      assert.equal(put.status, 200, put.text);
      const fresh = await call(`${p().edge}/api/products/${id}`);
      assert.equal(fresh.headers['x-cache'], 'miss');
      assert.equal((fresh.body as { price: number }).price, price);
    });

    it('refuses a product update from an ordinary user', async () => {
      const user = await p().login('erin', 'erin-pass-0001');
      const put = await call(`${p().edge}/api/products/${coldId()}`, 'PUT', { token: user.accessToken, body: { price: 1 } });
      assert.equal(put.status, 403);
    });
  });
}
