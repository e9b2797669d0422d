import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { Agent, request } from 'undici';
import { generateCatalog, type Product } from '../../../fixtures/catalog.ts';
import { createLocalCa, type LocalCa } from '../../local/local-ca.ts';
import type { Identity } from '../../mesh/policy.ts';
import { createAuditLog, type AuditLog } from '../shared/audit-log.ts';
import { createRegistry } from '../shared/http-metrics.ts';
import { createPostgresPool } from '../shared/postgres-pool.ts';
import { listenPlaintext } from '../shared/plaintext-listener.ts';
import { loadServiceConfig, type CatalogServiceConfig } from '../shared/service-config.ts';
import { mutualTlsAgent, readTlsMaterial } from '../shared/tls.ts';
import { buildCatalogApp } from './app.ts';
import { loadMigrations, runMigrations } from './migrations.ts';
import { seedCatalog, type SeedResult } from './seed.ts';
import { startTestPostgres, type TestPostgres } from '../../../test/support/test-postgres.ts';

// 7600-7649 is this service's range for ad-hoc and test servers.
const PG_PORT = Number(process.env['CATALOG_TEST_PG_PORT'] ?? 7610);
const SEED = 42;
const PRODUCTS = 10_000;
const quietLog = { info: () => {} };

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

const catalog: Product[] = generateCatalog(PRODUCTS, SEED);
const product = (id: number): Product => catalog[id - 1] as Product;

describe('catalog service', () => {
  let dir: string | undefined;
  let postgres: TestPostgres | undefined;
  let pool: pg.Pool | undefined;
  let app: FastifyInstance | undefined;
  let audit: AuditLog;
  let config: CatalogServiceConfig;
  let ca: LocalCa;
  let base: string;
  const agents: Agent[] = [];
  const firstStart: { applied: string[]; seed?: SeedResult } = { applied: [] };
  const secondStart: { applied: string[]; seed?: SeedResult } = { applied: [] };

  const agentFor = (identity: Identity): Agent => {
    const agent = mutualTlsAgent(readTlsMaterial({ caFile: ca.caFile, ...ca.identities[identity] }), 'catalog');
    agents.push(agent);
    return agent;
  };
  let harness: Agent;

  async function call(
    method: string,
    path: string,
    opts: { headers?: Record<string, string>; body?: unknown; agent?: Agent; base?: string } = {},
  ): Promise<Response> {
    const res = await request(`${opts.base ?? base}${path}`, {
      method: method as 'GET',
      dispatcher: opts.agent ?? harness,
      headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : null,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      body: text && res.headers['content-type']?.toString().startsWith('application/json') ? JSON.parse(text) : { text },
    };
  }
  const stockOf = async (id: number): Promise<number> => (await call('GET', `/products/${id}`)).body['stock'] as number;
  const order = (user: string, key: string, items: { productId: number; quantity: number }[]): Promise<Response> =>
    call('POST', '/orders', { headers: { 'x-user-id': user, 'idempotency-key': key }, body: { items } });
  async function waitForAuditEvent(matches: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    await audit.flush();
    const text = existsSync(config.auditFile) ? readFileSync(config.auditFile, 'utf8') : '';
    const found = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find(matches);
    assert.ok(found, 'audit event written');
    return found;
  }

  /** Products no other test touches, with enough stock, so tests stay independent. */
  let nextFree = 2_000;
  const freeProductWhere = (fits: (p: Product) => boolean): Product => {
    for (;;) {
      const p = product(nextFree++);
      if (fits(p)) return p;
    }
  };
  const freeProduct = (minStock: number): Product => freeProductWhere((p) => p.stock >= minStock);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crucible-catalog-test-'));
    postgres = await startTestPostgres(PG_PORT);
    ca = await createLocalCa(join(dir, 'certs'), ['catalog', 'gateway', 'harness', 'auth']);
    const configFile = join(dir, 'catalog-1.json');
    const written: CatalogServiceConfig = {
      service: 'catalog',
      instance: 'catalog-test',
      host: '127.0.0.1',
      port: 0,
      mode: 'test',
      tls: { caFile: ca.caFile, ...ca.identities.catalog },
      auditFile: join(dir, 'audit', 'catalog-test.jsonl'),
      logLevel: 'warn',
      postgres: { host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user, password: '', poolSize: 16 },
      seed: { products: PRODUCTS, seed: SEED },
    };
    writeFileSync(configFile, JSON.stringify(written));
    config = loadServiceConfig('catalog', configFile);

    pool = createPostgresPool(config.postgres, 'catalog-test');
    // A first start, then a restart against the same database: what main.ts does, twice.
    firstStart.applied = await runMigrations(pool, quietLog);
    firstStart.seed = await seedCatalog(pool, config.seed);
    secondStart.applied = await runMigrations(pool, quietLog);
    secondStart.seed = await seedCatalog(pool, config.seed);

    const registry = createRegistry(config.service, config.instance);
    audit = createAuditLog(config.auditFile, { service: config.service, instance: config.instance }, registry);
    app = buildCatalogApp(config, { pool, registry, audit });
    await app.listen({ host: config.host, port: 0 });
    base = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    harness = agentFor('harness');
  });

  after(async () => {
    // Every step guarded: teardown must finish even after a partial start.
    await Promise.all(agents.map((a) => a.close().catch(() => {})));
    await app?.close().catch(() => {});
    await pool?.end().catch(() => {});
    await postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('migrations apply once and are a no-op on the second start', async () => {
    assert.deepEqual(firstStart.applied, ['0001_products', '0002_orders']);
    assert.deepEqual(secondStart.applied, []);
    const { rows } = await pool!.query('SELECT name FROM catalog.schema_migrations ORDER BY version');
    assert.deepEqual(
      rows.map((r: { name: string }) => r.name),
      ['0001_products', '0002_orders'],
    );
  });

  test('a failing migration stops startup, names itself and leaves no record', async () => {
    const broken = [...loadMigrations(), { version: 9_999, name: '9999_broken', sql: 'ALTER TABLE catalog.no_such_table ADD COLUMN x int' }];
    await assert.rejects(runMigrations(pool!, quietLog, broken), /catalog migration 9999_broken failed: .*no_such_table/);
    const { rows } = await pool!.query('SELECT count(*)::int AS n FROM catalog.schema_migrations WHERE version = 9999');
    assert.equal(rows[0].n, 0);
  });

  test('seeds 10,000 deterministic products once', async () => {
    assert.equal(firstStart.seed?.inserted, PRODUCTS);
    assert.equal(secondStart.seed?.inserted, 0);
    const { rows } = await pool!.query('SELECT count(*)::int AS n FROM catalog.products');
    assert.equal(rows[0].n, PRODUCTS);
    for (const id of [1, 777, PRODUCTS]) {
      const res = await call('GET', `/products/${id}`);
      assert.equal(res.status, 200);
      const { updatedAt, ...rest } = res.body;
      assert.equal(typeof updatedAt, 'string');
      assert.deepEqual(rest, { ...product(id) });
    }
  });

  test('keyset pages by id', async () => {
    const first = await call('GET', '/products?limit=50');
    assert.equal(first.status, 200);
    const items = first.body['items'] as Product[];
    assert.deepEqual(
      items.map((p) => p.id),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    assert.equal(first.body['nextCursor'], 50);
    const second = await call('GET', '/products?limit=50&cursor=50');
    assert.deepEqual(
      (second.body['items'] as Product[]).map((p) => p.id),
      Array.from({ length: 50 }, (_, i) => i + 51),
    );
    const defaults = await call('GET', '/products');
    assert.equal((defaults.body['items'] as Product[]).length, 20);
    const last = await call('GET', `/products?cursor=${PRODUCTS - 20}`);
    assert.equal((last.body['items'] as Product[]).length, 20);
    assert.equal(last.body['nextCursor'], null, 'an exactly full last page has no next cursor');
    assert.equal((await call('GET', '/products?limit=0')).status, 400);
    assert.equal((await call('GET', '/products?limit=101')).status, 400);
  });

  test('pages through a category and a full-text search completely', async () => {
    const collect = async (query: string): Promise<number[]> => {
      const ids: number[] = [];
      let cursor: number | null = null;
      do {
        const res = await call('GET', `/products?limit=100&${query}${cursor === null ? '' : `&cursor=${cursor}`}`);
        assert.equal(res.status, 200);
        ids.push(...(res.body['items'] as Product[]).map((p) => p.id));
        cursor = res.body['nextCursor'] as number | null;
      } while (cursor !== null);
      return ids;
    };
    assert.deepEqual(
      await collect('category=books'),
      catalog.filter((p) => p.category === 'books').map((p) => p.id),
    );
    assert.deepEqual(
      await collect('q=skillet'),
      catalog.filter((p) => p.name.includes('skillet')).map((p) => p.id),
    );
    const both = await collect(`category=kitchen&q=${encodeURIComponent('walnut skillet')}`);
    assert.deepEqual(
      both,
      catalog.filter((p) => p.name.includes('walnut skillet')).map((p) => p.id),
    );
  });

  test('ids batch returns the products found', async () => {
    const res = await call('GET', '/products?ids=3,1,2,3,99999');
    assert.equal(res.status, 200);
    assert.deepEqual(
      (res.body['items'] as Product[]).map((p) => p.id),
      [1, 2, 3],
    );
    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
    assert.equal((await call('GET', `/products?ids=${tooMany}`)).status, 400);
    assert.equal((await call('GET', '/products?ids=1,x')).status, 400);
  });

  test('an unknown product is a 404 with the error body', async () => {
    const res = await call('GET', '/products/20000');
    assert.equal(res.status, 404);
    assert.equal(res.body['error'], 'not_found');
    assert.equal(typeof res.body['requestId'], 'string');
    assert.equal((await call('GET', '/products/abc')).status, 400);
  });

  test('PUT updates some fields, rejects unknown ones and audits the admin', async () => {
    const id = 5;
    const res = await call('PUT', `/products/${id}`, { headers: { 'x-user-id': 'admin-1' }, body: { price: 12.34, name: 'Renamed product' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-invalidate-products'], '5');
    assert.equal(res.body['price'], 12.34);
    assert.equal(res.body['name'], 'Renamed product');
    assert.equal(res.body['description'], product(id).description, 'fields not sent stay as they were');
    const read = await call('GET', `/products/${id}`);
    assert.equal(read.body['name'], 'Renamed product');

    const bad = [{ sku: 'X' }, {}, { price: 1.234 }, { stock: -1 }, { name: 'ok', extra: 1 }];
    for (const body of bad) assert.equal((await call('PUT', `/products/${id}`, { body }))?.status, 400, JSON.stringify(body));
    assert.equal((await call('PUT', '/products/20000', { body: { stock: 1 } })).status, 404);

    const updated = await waitForAuditEvent((e) => e['event'] === 'admin.action' && e['productId'] === id && e['outcome'] === 'updated');
    assert.equal(updated['user'], 'admin-1');
    assert.deepEqual(updated['fields'], ['name', 'price']);
  });

  test('an order decrements stock, answers 201 and names the changed products', async () => {
    const a = freeProduct(10);
    const b = freeProduct(10);
    const res = await order('alice', 'order-key-0001', [
      { productId: b.id, quantity: 1 },
      { productId: a.id, quantity: 3 },
    ]);
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-invalidate-products'], `${a.id},${b.id}`);
    const body = res.body;
    assert.equal(body['status'], 'confirmed');
    assert.equal(body['idempotencyKey'], 'order-key-0001');
    assert.equal(typeof body['id'], 'number');
    assert.ok(!Number.isNaN(Date.parse(body['createdAt'] as string)));
    assert.deepEqual(body['items'], [
      { productId: a.id, quantity: 3, unitPrice: a.price },
      { productId: b.id, quantity: 1, unitPrice: b.price },
    ]);
    assert.equal(body['total'], Math.round((a.price * 3 + b.price) * 100) / 100);
    assert.equal(await stockOf(a.id), a.stock - 3);
    assert.equal(await stockOf(b.id), b.stock - 1);
  });

  test('a replay returns the same order with 200 and takes no more stock', async () => {
    const p = freeProduct(10);
    const first = await order('bob', 'replay-key-0001', [{ productId: p.id, quantity: 2 }]);
    assert.equal(first.status, 201);
    const again = await order('bob', 'replay-key-0001', [{ productId: p.id, quantity: 2 }]);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers['x-invalidate-products'], undefined);
    // The same order split into two lines means the same thing: still a replay.
    const split = await order('bob', 'replay-key-0001', [
      { productId: p.id, quantity: 1 },
      { productId: p.id, quantity: 1 },
    ]);
    assert.equal(split.status, 200);
    assert.equal(await stockOf(p.id), p.stock - 2);
    // Keys are per user: another user's same key is another order.
    assert.equal((await order('carol', 'replay-key-0001', [{ productId: p.id, quantity: 2 }])).status, 201);
  });

  test('concurrent requests with one key make exactly one order', async () => {
    const p = freeProduct(20);
    const results = await Promise.all(Array.from({ length: 12 }, () => order('dave', 'concurrent-key-0001', [{ productId: p.id, quantity: 1 }])));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.body['id'])).size, 1);
    assert.equal(await stockOf(p.id), p.stock - 1);
    const { rows } = await pool!.query("SELECT count(*)::int AS n FROM catalog.orders WHERE idempotency_key = 'concurrent-key-0001'");
    assert.equal(rows[0].n, 1);
  });

  test('a reused key with another body is a 422', async () => {
    const p = freeProduct(10);
    assert.equal((await order('erin', 'reused-key-0001', [{ productId: p.id, quantity: 1 }])).status, 201);
    const res = await order('erin', 'reused-key-0001', [{ productId: p.id, quantity: 2 }]);
    assert.equal(res.status, 422);
    assert.equal(res.body['error'], 'idempotency_key_reused');
    assert.equal(await stockOf(p.id), p.stock - 1);
  });

  test('out of stock is a 409 that changes nothing', async () => {
    const soldOut = catalog.find((p) => p.stock === 0 && p.id > 5_000) as Product;
    const plenty = freeProduct(10);
    const res = await order('frank', 'stock-key-0001', [
      { productId: plenty.id, quantity: 2 },
      { productId: soldOut.id, quantity: 1 },
    ]);
    assert.equal(res.status, 409);
    assert.equal(res.body['error'], 'out_of_stock');
    assert.equal(res.body['productId'], soldOut.id);
    assert.equal(await stockOf(plenty.id), plenty.stock, 'the other line was rolled back');
    assert.equal(await stockOf(soldOut.id), 0);
    const low = freeProductWhere((p) => p.stock > 0 && p.stock < 100);
    assert.equal((await order('frank', 'stock-key-0002', [{ productId: low.id, quantity: low.stock + 1 }])).status, 409);
    assert.equal(await stockOf(low.id), low.stock);
    // Nothing was stored under the failed key: once restocked, the same key goes through.
    assert.equal((await call('PUT', `/products/${soldOut.id}`, { headers: { 'x-user-id': 'admin' }, body: { stock: 5 } })).status, 200);
    const retried = await order('frank', 'stock-key-0001', [
      { productId: plenty.id, quantity: 2 },
      { productId: soldOut.id, quantity: 1 },
    ]);
    assert.equal(retried.status, 201);
    assert.equal(await stockOf(soldOut.id), 4);
  });

  test('order validation: unknown product, headers, body', async () => {
    const unknown = await order('grace', 'unknown-key-0001', [{ productId: 123_456, quantity: 1 }]);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body['productId'], 123_456);
    const items = [{ productId: 1, quantity: 1 }];
    assert.equal((await call('POST', '/orders', { headers: { 'x-user-id': 'grace' }, body: { items } })).status, 400, 'no key');
    assert.equal((await call('POST', '/orders', { headers: { 'idempotency-key': 'abcdefgh' }, body: { items } })).status, 400, 'no user');
    assert.equal((await order('grace', 'short', items)).status, 400, 'key too short');
    assert.equal((await order('grace', 'has,a,comma', items)).status, 400, 'comma in key');
    assert.equal((await order('grace', 'valid-key-0001', [])).status, 400, 'no items');
    assert.equal((await order('grace', 'valid-key-0001', [{ productId: 1, quantity: 101 }])).status, 400, 'quantity > 100');
    const twentyOne = Array.from({ length: 21 }, (_, i) => ({ productId: i + 1, quantity: 1 }));
    assert.equal((await order('grace', 'valid-key-0001', twentyOne)).status, 400, '21 items');
    // GraphQL IDs arrive as strings through the gateway.
    const p = freeProduct(1);
    const stringId = await call('POST', '/orders', {
      headers: { 'x-user-id': 'grace', 'idempotency-key': 'string-id-0001' },
      body: { items: [{ productId: String(p.id), quantity: 1 }] },
    });
    assert.equal(stringId.status, 201);
    assert.deepEqual(stringId.body['items'], [{ productId: p.id, quantity: 1, unitPrice: p.price }]);
  });

  test('orders are visible to their owner and admins only', async () => {
    const p = freeProduct(10);
    const placed = await order('heidi', 'owner-key-0001', [{ productId: p.id, quantity: 1 }]);
    const id = placed.body['id'] as number;
    const asOwner = await call('GET', `/orders/${id}`, { headers: { 'x-user-id': 'heidi' } });
    assert.equal(asOwner.status, 200);
    assert.deepEqual(asOwner.body, placed.body);
    assert.equal((await call('GET', `/orders/${id}`, { headers: { 'x-user-id': 'ivan' } })).status, 404);
    const denied404 = await waitForAuditEvent((e) => e['event'] === 'authz.denied' && e['reason'] === 'not_owner' && e['user'] === 'ivan');
    assert.equal(denied404['orderId'], id);
    assert.equal((await call('GET', `/orders/${id}`, { headers: { 'x-user-id': 'root', 'x-user-role': 'admin' } })).status, 200);
    assert.equal((await call('GET', `/orders/${id}`)).status, 400, 'no user id');

    const mine = await call('GET', '/orders', { headers: { 'x-user-id': 'heidi' } });
    assert.deepEqual(
      (mine.body['items'] as { id: number }[]).map((o) => o.id),
      [id],
    );
    const all = await call('GET', '/orders', { headers: { 'x-user-id': 'root', 'x-user-role': 'admin' } });
    const allItems = all.body['items'] as { id: number; userId: string }[];
    assert.ok(allItems.length > 1 && allItems[0]?.id === id, 'admins see every order, newest first');

    const byKeys = await call('GET', '/orders?keys=owner-key-0001,replay-key-0001,missing-key', { headers: { 'x-user-id': 'root', 'x-user-role': 'admin' } });
    assert.equal(byKeys.status, 200);
    const found = (byKeys.body['items'] as { idempotencyKey: string; userId: string }[]).map((o) => `${o.userId}:${o.idempotencyKey}`).sort();
    assert.deepEqual(found, ['bob:replay-key-0001', 'carol:replay-key-0001', 'heidi:owner-key-0001']);
    const denied = await call('GET', '/orders?keys=owner-key-0001', { headers: { 'x-user-id': 'heidi' } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body['error'], 'forbidden');
  });

  test('mesh: no client certificate fails the handshake; identities outside the policy get 403', async () => {
    const anonymous = new Agent({ connect: { ca: readFileSync(ca.caFile, 'utf8'), servername: 'catalog' } });
    agents.push(anonymous);
    await assert.rejects(call('GET', '/healthz', { agent: anonymous }), (err: Error & { code?: string }) => {
      // TLS 1.3 reports the refused certificate as an alert or a reset after the client's handshake.
      assert.match(`${err.code ?? ''} ${err.message}`, /certificate|ECONNRESET|socket|SSL/i);
      return true;
    });
    const asAuth = await call('GET', '/products/1', { agent: agentFor('auth') });
    assert.equal(asAuth.status, 403);
    assert.equal(asAuth.body['error'], 'forbidden');
    assert.equal((await call('GET', '/products/1', { agent: agentFor('gateway') })).status, 200);
  });

  test('health, readiness and metrics', async () => {
    assert.equal((await call('GET', '/healthz')).status, 200);
    const ready = await call('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body['checks'], { postgres: 'ok' });
    const metrics = await call('GET', '/metrics');
    const text = metrics.body['text'] as string;
    assert.match(text, /catalog_origin_reads_total\{kind="by_id"[^}]*\} \d+/);
    assert.match(text, /catalog_origin_reads_total\{kind="page"[^}]*\} \d+/);
    assert.match(text, /catalog_origin_reads_total\{kind="by_ids"[^}]*\} 3/);
    assert.match(text, /catalog_orders_total\{result="created"[^}]*\} \d+/);
    assert.match(text, /catalog_orders_total\{result="replayed"[^}]*\} \d+/);
    assert.match(text, /catalog_orders_total\{result="out_of_stock"[^}]*\} \d+/);
    assert.match(text, /catalog_orders_total\{result="conflict"[^}]*\} 1/);
    assert.match(text, /catalog_db_query_duration_seconds_bucket\{(?=[^}]*le="0.005")(?=[^}]*query="order_insert")/);
    assert.match(text, /http_server_request_duration_seconds_bucket\{(?=[^}]*le="0.2")(?=[^}]*route="\/products\/:id")/);
  });

  test('timings', async (t) => {
    const time = async (label: string, n: number, fn: (i: number) => Promise<Response>, expected: number): Promise<void> => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        const res = await fn(i);
        ms.push(performance.now() - start);
        assert.equal(res.status, expected, label);
      }
      ms.sort((a, b) => a - b);
      const at = (q: number): string => (ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] as number).toFixed(2);
      t.diagnostic(`${label}: n=${n} p50=${at(0.5)} ms p95=${at(0.95)} ms max=${at(1)} ms`);
    };
    t.diagnostic(`seed: ${firstStart.seed?.inserted} products in ${firstStart.seed?.ms.toFixed(0)} ms`);
    await time('GET /products/:id', 300, (i) => call('GET', `/products/${1 + ((i * 37) % PRODUCTS)}`), 200);
    await time('GET /products?limit=20 (keyset)', 200, (i) => call('GET', `/products?cursor=${i * 40}`), 200);
    await time('GET /products?category&q', 100, () => call('GET', '/products?category=kitchen&q=skillet'), 200);
    await time(
      'GET /products?ids (20 ids)',
      200,
      (i) => call('GET', `/products?ids=${Array.from({ length: 20 }, (_, k) => 1 + ((i * 20 + k) % PRODUCTS)).join(',')}`),
      200,
    );
    const p = freeProduct(100);
    await time('POST /orders (new)', 50, (i) => order('load-01', `timing-key-${String(i).padStart(4, '0')}`, [{ productId: p.id, quantity: 1 }]), 201);
    await time('POST /orders (replay)', 50, (i) => order('load-01', `timing-key-${String(i).padStart(4, '0')}`, [{ productId: p.id, quantity: 1 }]), 200);
  });
  describe('deliberately vulnerable switches (mode test)', () => {
    let vulnerable: FastifyInstance | undefined;
    let vulnerableBase: string;
    let plaintext: Server | undefined;
    let plaintextBase: string;
    const asVulnerable = (method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown } = {}) =>
      call(method, path, { ...opts, base: vulnerableBase });
    /** Matches every product: hardened, it is only words for plainto_tsquery. */
    const everything = "zzz') OR ('1'='1";

    before(async () => {
      const switched: CatalogServiceConfig = {
        ...config,
        instance: 'catalog-vulnerable',
        vulnerable: ['sql-injection', 'no-ownership-check', 'mass-assignment', 'mesh-plaintext'],
      };
      vulnerable = buildCatalogApp(switched, { pool: pool!, registry: createRegistry('catalog', 'catalog-vulnerable'), audit });
      await vulnerable.listen({ host: '127.0.0.1', port: 0 });
      vulnerableBase = `https://127.0.0.1:${(vulnerable.server.address() as AddressInfo).port}`;
      plaintext = await listenPlaintext(vulnerable, '127.0.0.1', 0);
      plaintextBase = `http://127.0.0.1:${(plaintext.address() as AddressInfo).port}`;
    });

    after(async () => {
      plaintext?.closeAllConnections();
      plaintext?.close();
      await vulnerable?.close().catch(() => {});
    });

    test('sql-injection: q is bound as a parameter; with the switch it is pasted into the SQL', async () => {
      const hardened = await call('GET', `/products?q=${encodeURIComponent(everything)}`);
      assert.equal(hardened.status, 200);
      assert.deepEqual(hardened.body['items'], [], 'the payload is search text, matching nothing');
      const injected = await asVulnerable('GET', `/products?limit=5&q=${encodeURIComponent(everything)}`);
      assert.equal(injected.status, 200);
      assert.deepEqual(
        (injected.body['items'] as Product[]).map((p) => p.id),
        [1, 2, 3, 4, 5],
        'the OR made every row match',
      );
      // A comment swallows the rest of the statement, and UNION reads another table.
      const union = `zzz') UNION SELECT 0, version(), current_user, '', '', 0, 0, now() --`;
      const leaked = await asVulnerable('GET', `/products?q=${encodeURIComponent(union)}`);
      assert.equal(leaked.status, 200);
      assert.match(String((leaked.body['items'] as Product[])[0]?.sku), /PostgreSQL/);
      assert.equal((await asVulnerable('GET', '/products?q=skillet&limit=3')).status, 200, 'ordinary searches still work');
    });

    test("no-ownership-check: another user's order is readable by id", async () => {
      const p = freeProduct(10);
      const placed = await order('judy', 'bola-key-0001', [{ productId: p.id, quantity: 1 }]);
      const id = placed.body['id'] as number;
      assert.equal((await call('GET', `/orders/${id}`, { headers: { 'x-user-id': 'mallory' } })).status, 404);
      const stolen = await asVulnerable('GET', `/orders/${id}`, { headers: { 'x-user-id': 'mallory' } });
      assert.equal(stolen.status, 200);
      assert.equal(stolen.body['userId'], 'judy');
    });

    test('mass-assignment: a client-supplied unitPrice is refused; with the switch it is what the order costs', async () => {
      const p = freeProduct(10);
      const items = [{ productId: p.id, quantity: 2, unitPrice: 0.01 }];
      const refused = await call('POST', '/orders', { headers: { 'x-user-id': 'mallory', 'idempotency-key': 'mass-key-0001' }, body: { items } });
      assert.equal(refused.status, 400);
      assert.equal(await stockOf(p.id), p.stock, 'nothing was ordered');
      const cheap = await asVulnerable('POST', '/orders', { headers: { 'x-user-id': 'mallory', 'idempotency-key': 'mass-key-0002' }, body: { items } });
      assert.equal(cheap.status, 201);
      assert.deepEqual(cheap.body['items'], [{ productId: p.id, quantity: 2, unitPrice: 0.01 }]);
      assert.equal(cheap.body['total'], 0.02);
      const readBack = await call('GET', `/orders/${cheap.body['id'] as number}`, { headers: { 'x-user-id': 'mallory' } });
      assert.equal((readBack.body['items'] as { unitPrice: number }[])[0]?.unitPrice, 0.01);
      const fair = await asVulnerable('POST', '/orders', {
        headers: { 'x-user-id': 'mallory', 'idempotency-key': 'mass-key-0003' },
        body: { items: [{ productId: p.id, quantity: 1 }] },
      });
      assert.deepEqual(fair.body['items'], [{ productId: p.id, quantity: 1, unitPrice: p.price }], 'without a claimed price the product price applies');
    });

    test('mesh-plaintext: the TLS port refuses plain HTTP; with the switch a plaintext port serves without a certificate', async () => {
      await assert.rejects(request(`${base.replace('https:', 'http:')}/healthz`, { headersTimeout: 2_000, bodyTimeout: 2_000 }).then((r) => r.body.text()));
      const res = await request(`${plaintextBase}/products/1`);
      assert.equal(res.statusCode, 200);
      assert.equal(((await res.body.json()) as Product).id, 1);
    });
  });
});
