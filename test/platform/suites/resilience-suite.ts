import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { call, eventually, type PlatformFixture } from '../platform-fixture.ts';

/** Requests through the edge at a steady pace while `during` runs; returns every status seen. */
async function underLoad(p: PlatformFixture, during: () => Promise<void>, opts = { rps: 100, afterMs: 3_000 }): Promise<number[]> {
  const statuses: number[] = [];
  let stop = false;
  const loop = (async () => {
    let i = 0;
    while (!stop && i < 5_000) {
      const id = 1 + (i++ % 200);
      void call(`${p.edge}/api/products/${id}`).then(
        (r) => statuses.push(r.status),
        () => statuses.push(0),
      );
      await sleep(1000 / opts.rps);
    }
  })();
  await sleep(500);
  await during();
  await sleep(opts.afterMs);
  stop = true;
  await loop;
  await sleep(500);
  return statuses;
}

async function clusterRoles(p: PlatformFixture): Promise<Map<number, 'master' | 'slave'>> {
  const roles = new Map<number, 'master' | 'slave'>();
  for (const n of p.state.endpoints.redis.nodes) {
    const r = new Redis({
      port: n.port,
      host: n.host,
      password: p.secrets.redisPassword,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    r.on('error', () => {}); // a node that is down is an expected answer here
    try {
      await r.connect();
      const info = await r.info('replication');
      roles.set(n.port, /role:master/.test(info) ? 'master' : 'slave');
    } catch {
      /* node down */
    } finally {
      r.disconnect();
    }
  }
  return roles;
}

export function resilienceSuite(p: () => PlatformFixture): void {
  describe('resilience', () => {
    it('keeps serving through the edge when a gateway replica is SIGKILLed, and the supervisor restarts it', async () => {
      const victim = p().component('gateway-1');
      const oldPid = victim.pid!;
      const restarts = victim.restarts;
      const statuses = await underLoad(p(), async () => void process.kill(oldPid, 'SIGKILL'));
      const failed = statuses.filter((s) => s !== 200).length;
      assert.ok(statuses.length > 200, `enough traffic to tell (${statuses.length} requests)`);
      assert.ok(failed / statuses.length <= 0.01, `the edge kept serving: ${failed} of ${statuses.length} failed`);
      const after = await eventually(
        async () => {
          const c = p().component('gateway-1');
          return c.status === 'ready' && c.pid !== oldPid ? c : undefined;
        },
        20_000,
        'gateway-1 restarted and ready',
      );
      assert.equal(after.restarts, restarts + 1);
      assert.equal((await call(`${p().gateways[0]}/healthz`)).status, 200);
    });

    it('survives the SIGKILL of a Redis primary after failover, and the node rejoins as a replica', async () => {
      const roles = await clusterRoles(p());
      const masterPort = [...roles].find(([, r]) => r === 'master')![0];
      const name = `redis-${p().state.endpoints.redis.nodes.findIndex((n) => n.port === masterPort)}`;
      const victim = p().component(name);
      const { accessToken } = await p().login('grace', 'grace-pass-0001');
      process.kill(victim.pid!, 'SIGKILL');
      // Cache, rate limits and revocation all need Redis: an authenticated read of a cold product exercises them all.
      await eventually(
        async () => {
          const r = await call(`${p().edge}/api/products/${7_000 + Math.floor(Math.random() * 1_000)}`, 'GET', { token: accessToken });
          const me = await call(`${p().edge}/api/me`, 'GET', { token: accessToken });
          return r.status === 200 && me.status === 200;
        },
        20_000,
        'authenticated reads work again after failover',
        250,
      );
      await eventually(async () => (await clusterRoles(p())).get(masterPort) === 'slave', 30_000, `${name} restarted and rejoined as a replica`, 500);
      assert.ok(p().component(name).restarts >= 1);
    });

    it('keeps an acknowledged order across a catalog restart and a PostgreSQL restart', async () => {
      const { accessToken } = await p().login('heidi', 'heidi-pass-0001');
      const key = `durable-${randomUUID()}`;
      const placed = await call(`${p().edge}/api/orders`, 'POST', {
        token: accessToken,
        headers: { 'idempotency-key': key },
        body: { items: [{ productId: 4_242, quantity: 1 }] },
      });
      assert.equal(placed.status, 201, placed.text);
      const orderId = (placed.body as { id: unknown }).id;

      const catalog = p().component('catalog-1');
      process.kill(catalog.pid!, 'SIGKILL');
      await eventually(
        async () => {
          const c = p().component('catalog-1');
          return c.status === 'ready' && c.pid !== catalog.pid;
        },
        20_000,
        'catalog-1 restarted',
      );
      const afterCatalog = await eventually(
        async () => {
          const r = await call(`${p().edge}/api/orders/${String(orderId)}`, 'GET', { token: accessToken });
          return r.status === 200 ? r : undefined;
        },
        10_000,
        'order readable after the catalog restart',
      );
      assert.equal((afterCatalog.body as { idempotencyKey: string }).idempotencyKey, key);

      assert.equal((await p().control('restart', 'postgres')).status, 200);
      const afterPg = await eventually(
        async () => {
          const r = await call(`${p().edge}/api/orders/${String(orderId)}`, 'GET', { token: accessToken });
          return r.status === 200 ? r : undefined;
        },
        20_000,
        'order readable after the PostgreSQL restart',
      );
      assert.equal((afterPg.body as { id: unknown }).id, orderId);
    });

    it('reports an unreachable dependency in readiness and recovers when it returns', async () => {
      assert.equal((await p().control('hold', 'catalog-1')).status, 200);
      try {
        const ready = await eventually(
          async () => {
            const r = await call(`${p().gateways[0]}/readyz`);
            return r.status === 503 ? r : undefined;
          },
          10_000,
          'gateway unready while catalog is down',
        );
        assert.match(ready.text, /catalog/);
        const read = await call(`${p().edge}/api/products/${6_000 + Math.floor(Math.random() * 900)}`);
        assert.equal(read.status, 503);
        assert.equal(typeof read.headers['retry-after'], 'string');
      } finally {
        assert.equal((await p().control('release', 'catalog-1')).status, 200);
      }
      await eventually(async () => (await call(`${p().gateways[0]}/readyz`)).status === 200, 20_000, 'gateway ready again');
    });
  });
}
