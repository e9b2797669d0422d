import assert from 'node:assert/strict';
import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { Cluster } from 'ioredis';
import { base64url, decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createLocalCa } from '../../local/local-ca.ts';
import { MESH_POLICY } from '../../mesh/policy.ts';
import { loadServiceConfig, type GatewayServiceConfig } from '../shared/service-config.ts';
import { readTlsMaterial } from '../shared/tls.ts';
import { VULNERABLE_SWITCHES, type VulnerableSwitch } from '../shared/vulnerable-switches.ts';
import { buildGatewayApp } from './app.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import { ReadThroughCache } from './read-through-cache.ts';
import { gatewayTestConfig, type TestEnvironment } from '../../../test/support/gateway/gateway-test-config.ts';
import { startRedisTestCluster, type RedisTestCluster } from '../../../test/support/test-redis-cluster.ts';
import { startStandInAuth, type StandInAuth } from '../../../test/support/gateway/stand-in-auth.ts';
import { startStandInCatalog, type StandInCatalog } from '../../../test/support/gateway/stand-in-catalog.ts';

// Every port this test uses is in base..base+23 (CRUCIBLE_GATEWAY_TEST_PORT_BASE, default 7700).
const PORT_BASE = Number(process.env['CRUCIBLE_GATEWAY_TEST_PORT_BASE'] ?? 7700);
const REDIS_PORTS = [0, 1, 2, 3, 4, 5].map((i) => PORT_BASE + i);
const REDIS_BUS_PORTS = [0, 1, 2, 3, 4, 5].map((i) => PORT_BASE + 10 + i);
const AUTH_PORT = PORT_BASE + 20;
const CATALOG_PORT = PORT_BASE + 21;
/** Nothing listens here: the "catalog is down" gateway points at it. */
const DEAD_PORT = PORT_BASE + 22;
/** The attacker's key set server for the jku forgery. */
const JKU_PORT = PORT_BASE + 23;
const IDENTITY_LIMIT = 20;
/** Every JWT switch the platform has: the forgery test needs a forgery for each (a new one fails to compile until it has one). */
type JwtSwitch = Extract<VulnerableSwitch, `jwt-${string}`>;
const JWT_SWITCHES = Object.keys(VULNERABLE_SWITCHES).filter((s): s is JwtSwitch => s.startsWith('jwt-'));

let dir: string | undefined;
let env: TestEnvironment;
let cluster: RedisTestCluster | undefined;
let auth: StandInAuth | undefined;
let catalog: StandInCatalog | undefined;
let redis: Cluster | undefined;
const gateways: FastifyInstance[] = [];
let gw1: FastifyInstance;
let gw2: FastifyInstance;
/** dev mode, graphql.maxDepth 2, catalog unreachable. */
let gw3: FastifyInstance;

interface Call {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'OPTIONS' | 'TRACE';
  readonly token?: string;
  readonly ip?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

function call(gw: FastifyInstance, url: string, c: Call = {}): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { 'x-forwarded-for': c.ip ?? '198.51.100.1', ...c.headers };
  if (c.token) headers['authorization'] = `Bearer ${c.token}`;
  return gw.inject({ method: c.method ?? 'GET', url, headers, ...(c.body === undefined ? {} : { payload: c.body as object }) });
}

const gql = (gw: FastifyInstance, body: unknown, c: Call = {}) => call(gw, '/graphql', { ...c, method: 'POST', body });

async function metric(gw: FastifyInstance, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await gw.inject('/metrics')).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Waits for an audit line (the log is written asynchronously), up to 15 s: a bound on a hang, not on a busy machine. */
async function auditLine(instance: string, match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const file = join(dir as string, 'audit', `${instance}.jsonl`);
  for (let i = 0; i < 500; i++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const found = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find(match);
    if (found) return found;
    await sleep(30);
  }
  throw new Error(`no matching audit line in ${instance}`);
}

function assertNoStack(res: LightMyRequestResponse): void {
  assert.ok(!res.body.includes('"stack"'), `stack in ${res.body}`);
  assert.ok(!/\bat .+\.(ts|js):\d+/.test(res.body), `stack frame in ${res.body}`);
}

const reads = (id: string): number => (catalog as StandInCatalog).reads.get(id) ?? 0;
const token = (sub: string, opts: Omit<Parameters<StandInAuth['sign']>[0], 'sub'> = {}) => (auth as StandInAuth).sign({ sub, ...opts });

describe('gateway', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crucible-gateway-test-'));
    const ca = await createLocalCa(join(dir, 'ca'), ['gateway', 'auth', 'catalog']);
    const tls = (id: 'auth' | 'catalog') => readTlsMaterial({ caFile: ca.caFile, ...ca.identities[id] });
    const webRoot = join(dir, 'web');
    await mkdir(webRoot);
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>crucible</title>');
    cluster = await startRedisTestCluster({ dir: join(dir, 'redis'), ports: REDIS_PORTS, busPorts: REDIS_BUS_PORTS, password: 'test-redis-pass' });
    auth = await startStandInAuth(AUTH_PORT, tls('auth'));
    catalog = await startStandInCatalog(CATALOG_PORT, tls('catalog'));
    redis = new Cluster(
      cluster.nodes.map((n) => ({ ...n })),
      { redisOptions: { password: cluster.password } },
    );

    env = {
      dir,
      ca,
      redisNodes: cluster.nodes,
      redisPassword: cluster.password,
      authUrl: `https://127.0.0.1:${AUTH_PORT}`,
      catalogUrl: `https://127.0.0.1:${CATALOG_PORT}`,
      webRoot,
    };
    gw1 = await buildGatewayApp(gatewayTestConfig(env, 'gw-1'));
    gateways.push(gw1);
    gw2 = await buildGatewayApp(gatewayTestConfig(env, 'gw-2'));
    gateways.push(gw2);
    gw3 = await buildGatewayApp(gatewayTestConfig({ ...env, catalogUrl: `https://127.0.0.1:${DEAD_PORT}` }, 'gw-3', { mode: 'dev', graphql: { maxDepth: 2 } }));
    gateways.push(gw3);
    for (const gw of [gw1, gw2]) {
      for (let i = 0; (await gw.inject('/readyz')).statusCode !== 200; i++) {
        assert.ok(i < 300, 'gateway never became ready (30 s)');
        await sleep(100);
      }
    }
  });

  after(async () => {
    for (const gw of gateways) await gw.close().catch(() => {});
    await redis?.quit().catch(() => redis?.disconnect());
    await auth?.close().catch(() => {});
    await catalog?.close().catch(() => {});
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a product read misses, then hits; the counters and forwarded headers say so', async () => {
    const first = await call(gw1, '/api/products/1', { ip: '203.0.113.9', headers: { 'x-request-id': 'req-cache-1' } });
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['x-cache'], 'miss');
    assert.equal(first.json().name, 'Product 1');
    const second = await call(gw1, '/api/products/1');
    assert.equal(second.headers['x-cache'], 'hit');
    assert.deepEqual(second.json(), first.json());
    const third = await call(gw2, '/api/products/1');
    assert.equal(third.headers['x-cache'], 'hit', 'the other replica shares the cache');
    assert.equal(reads('1'), 1);
    assert.equal(await metric(gw1, 'gateway_cache_misses_total', { cache: 'product' }), 1);
    assert.equal(await metric(gw1, 'gateway_cache_hits_total', { cache: 'product' }), 1);
    const upstreamCall = (catalog as StandInCatalog).requests.find((r) => r.url === '/products/1');
    assert.equal(upstreamCall?.headers['x-request-id'], 'req-cache-1');
    assert.equal(upstreamCall?.headers['x-forwarded-for'], '203.0.113.9');
    assert.equal(upstreamCall?.caller, 'gateway', 'the gateway presents its client certificate');
    assert.ok((await metric(gw1, 'gateway_upstream_request_duration_seconds_count', { upstream: 'catalog', outcome: 'ok' })) >= 1);
  });

  test('product lists are cached by normalized query', async () => {
    const before = (catalog as StandInCatalog).listCalls;
    const first = await call(gw1, '/api/products?category=tools&limit=5');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['x-cache'], 'miss');
    assert.equal(first.json().items.length, 5);
    const second = await call(gw2, '/api/products?limit=5&category=tools');
    assert.equal(second.headers['x-cache'], 'hit');
    assert.equal((catalog as StandInCatalog).listCalls - before, 1);
    assert.equal((await call(gw1, '/api/products?limit=500')).statusCode, 400);
    assert.equal((await call(gw1, '/api/products?sort=price')).statusCode, 400);
  });

  test('a Redis error bypasses the cache (origin answers, the error is counted)', async () => {
    const failing = () => Promise.reject(new Error('redis down'));
    const broken = { get: failing, set: failing, exists: failing, eval: failing, del: failing } as unknown as Cluster;
    const metrics = createGatewayMetrics(new Registry());
    const cache = new ReadThroughCache({ name: 'product', redis: broken, ttlSec: 60, fillLockMs: 500, metrics, log: pino({ level: 'silent' }) });
    let loads = 0;
    const load = async () => ({ status: 200, headers: {}, body: `{"n":${++loads}}` });
    const read = await cache.read('product:bypass', load);
    assert.deepEqual({ status: read.response.status, hit: read.hit, loads }, { status: 200, hit: false, loads: 1 });
    await cache.invalidate('product:bypass');
    assert.equal((await metrics.cacheErrors.get()).values[0]?.value, 2);
  });

  test('50 concurrent cold reads across both replicas cause one origin fetch', async () => {
    (catalog as StandInCatalog).delayMs = 100;
    try {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call(i % 2 ? gw2 : gw1, '/api/products/2')));
      assert.ok(results.every((r) => r.statusCode === 200 && r.json().id === '2'));
      assert.equal(reads('2'), 1);
    } finally {
      (catalog as StandInCatalog).delayMs = 0;
    }
  });

  test('cached reads never reach the origin; uncached ones go once each (in-process figures)', async (t) => {
    await call(gw1, '/api/products/30');
    const upstreamCalls = () => metric(gw1, 'gateway_upstream_request_duration_seconds_count', { upstream: 'catalog', outcome: 'ok' });
    const counters = async () => ({
      hits: await metric(gw1, 'gateway_cache_hits_total', { cache: 'product' }),
      misses: await metric(gw1, 'gateway_cache_misses_total', { cache: 'product' }),
      upstream: await upstreamCalls(),
    });
    /** Reads each url in turn; returns their x-cache headers and the mean time per read (a figure, not asserted). */
    const readAll = async (urls: string[]) => {
      const cache: string[] = [];
      const started = performance.now();
      for (const url of urls) {
        const res = await call(gw1, url);
        assert.equal(res.statusCode, 200);
        cache.push(String(res.headers['x-cache']));
      }
      return { cache, meanMs: (performance.now() - started) / urls.length };
    };
    const n = 200;
    const before = await counters();
    const cached = await readAll(Array.from({ length: n }, () => '/api/products/30'));
    assert.deepEqual(new Set(cached.cache), new Set(['hit']));
    assert.equal(reads('30'), 1, 'the origin was read once, to fill the cache');
    const afterCached = await counters();
    assert.deepEqual(afterCached, { ...before, hits: before.hits + n }, 'hits counted, no origin call');
    const ids = Array.from({ length: n }, (_, i) => String(300 + i));
    const uncached = await readAll(ids.map((id) => `/api/products/${id}`));
    assert.deepEqual(new Set(uncached.cache), new Set(['miss']));
    assert.deepEqual(
      ids.filter((id) => reads(id) !== 1),
      [],
      'each uncached product read once from the origin',
    );
    assert.deepEqual(await counters(), { ...afterCached, misses: afterCached.misses + n, upstream: afterCached.upstream + n });
    t.diagnostic(`mean latency over ${n} reads: cached ${cached.meanMs.toFixed(2)} ms, uncached (origin over mTLS) ${uncached.meanMs.toFixed(2)} ms`);
  });

  test('an admin PUT invalidates the cached product and is audited; a user gets 403', async () => {
    const admin = await token('admin-1', { role: 'admin' });
    await call(gw1, '/api/products/3');
    assert.equal((await call(gw2, '/api/products/3')).headers['x-cache'], 'hit');
    const put = await call(gw1, '/api/products/3', { method: 'PUT', token: admin, body: { price: 9.99 } });
    assert.equal(put.statusCode, 200);
    const after = await call(gw2, '/api/products/3');
    assert.equal(after.headers['x-cache'], 'miss');
    assert.equal(after.json().price, 9.99);
    await auditLine('gw-1', (l) => l['event'] === 'admin.action' && l['productId'] === '3' && l['user'] === 'admin-1' && typeof l['requestId'] === 'string');

    const user = await token('user-put');
    const denied = await call(gw1, '/api/products/3', { method: 'PUT', token: user, body: { price: 1 }, ip: '203.0.113.77' });
    assert.equal(denied.statusCode, 403);
    await auditLine('gw-1', (l) => l['event'] === 'authz.denied' && l['user'] === 'user-put' && l['ip'] === '203.0.113.77');
    assert.equal((await call(gw1, '/api/products/3', { method: 'PUT', body: { price: 1 } })).statusCode, 401);
    const extra = await call(gw1, '/api/products/3', { method: 'PUT', token: admin, body: { price: 1, owner: 'x' } });
    assert.equal(extra.statusCode, 400, 'unknown properties are refused');
  });

  test('the per-identity limit is shared by both replicas', async () => {
    const tok = await token('rl-user');
    const burst = await Promise.all(Array.from({ length: IDENTITY_LIMIT * 2 }, (_, i) => call(i % 2 ? gw2 : gw1, '/api/me', { token: tok })));
    assert.equal(burst.filter((r) => r.statusCode === 200).length, IDENTITY_LIMIT);
    const limited = [...burst.filter((r) => r.statusCode !== 200), await call(gw1, '/api/me', { token: tok }), await call(gw2, '/api/me', { token: tok })];
    assert.equal(limited.length, IDENTITY_LIMIT + 2);
    for (const r of limited) {
      assert.equal(r.statusCode, 429);
      assert.equal(r.json().error, 'rate_limited');
      const retryAfter = Number(r.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${r.headers['retry-after']}`);
    }
    assert.ok((await metric(gw1, 'gateway_rate_limited_total', { scope: 'identity' })) > 0);
    assert.ok((await metric(gw2, 'gateway_rate_limited_total', { scope: 'identity' })) > 0);
    await auditLine('gw-2', (l) => l['event'] === 'ratelimit.hit' && l['user'] === 'rl-user');
  });

  test('logins are limited per client IP and reach auth with that IP', async () => {
    const login = () => call(gw1, '/api/auth/login', { method: 'POST', ip: '203.0.113.50', body: { username: 'alice', password: 'alice-pass-0001' } });
    const first = await login();
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().tokenType, 'Bearer');
    assert.equal((auth as StandInAuth).logins.at(-1)?.forwardedFor, '203.0.113.50');
    for (let i = 0; i < 4; i++) assert.equal((await login()).statusCode, 200);
    const refused = await login();
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.ok((await metric(gw1, 'gateway_rate_limited_total', { scope: 'login' })) >= 1);
  });

  test('forged, expired, wrong-audience, alg=none and HS256 tokens are refused with 401', async () => {
    const other = await generateKeyPair('RS256');
    const seg = (o: object) => base64url.encode(JSON.stringify(o));
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'mallory', role: 'admin', jti: randomUUID(), iss: 'https://auth.crucible.local', aud: 'crucible-api', iat: now, exp: now + 300 };
    const { createHmac } = await import('node:crypto');
    const hsInput = `${seg({ alg: 'HS256', typ: 'JWT', kid: (auth as StandInAuth).kid })}.${seg(claims)}`;
    const hs256 = `${hsInput}.${createHmac('sha256', 'secret').update(hsInput).digest('base64url')}`;
    const cases: [string, string][] = [
      ['bad_signature', await token('mallory', { key: other.privateKey })],
      ['expired', await token('mallory', { expiresInSec: -60 })],
      ['claim_aud_check_failed', await token('mallory', { audience: 'someone-else' })],
      ['alg_not_allowed', `${seg({ alg: 'none', typ: 'JWT' })}.${seg(claims)}.`],
      ['alg_not_allowed', hs256],
      ['malformed', 'not-a-jwt'],
    ];
    for (const [reason, tok] of cases) {
      const res = await call(gw1, '/api/me', { token: tok, ip: '203.0.113.66' });
      assert.equal(res.statusCode, 401, reason);
      assert.equal(res.json().error, 'unauthorized');
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
      await auditLine('gw-1', (l) => l['event'] === 'auth.token_rejected' && l['reason'] === reason && l['ip'] === '203.0.113.66');
    }
    assert.equal((await call(gw1, '/api/me', { token: await token('alice') })).statusCode, 200, 'a genuine token passes');
  });

  test('an unknown kid refreshes the JWKS at most once per 30 s', async () => {
    const other = await generateKeyPair('RS256');
    const before = (auth as StandInAuth).jwksFetches;
    for (let i = 0; i < 3; i++) {
      const res = await call(gw1, '/api/me', { token: await token('mallory', { key: other.privateKey, kid: `rotated-${i}` }) });
      assert.equal(res.statusCode, 401);
    }
    assert.equal((auth as StandInAuth).jwksFetches - before, 1);
  });

  test('a revoked jti is refused on every replica', async () => {
    const jti = randomUUID();
    const tok = await token('bob', { jti });
    assert.equal((await call(gw1, '/api/me', { token: tok })).statusCode, 200);
    await (redis as Cluster).set(`revoked:jti:${jti}`, '1', 'EX', 300);
    for (const gw of [gw1, gw2]) assert.equal((await call(gw, '/api/me', { token: tok })).statusCode, 401);
    await auditLine('gw-2', (l) => l['event'] === 'auth.token_rejected' && l['reason'] === 'revoked' && l['user'] === null);
  });

  test('an order needs a token and an Idempotency-Key, reaches catalog as the user, and invalidates listed products', async () => {
    const tok = await token('carol');
    await call(gw1, '/api/products/20');
    assert.equal((await call(gw1, '/api/products/20')).headers['x-cache'], 'hit');
    const body = { items: [{ productId: '20', quantity: 2 }] };
    assert.equal((await call(gw1, '/api/orders', { method: 'POST', body })).statusCode, 401);
    assert.equal((await call(gw1, '/api/orders', { method: 'POST', token: tok, body })).statusCode, 400);
    const placed = await call(gw1, '/api/orders', { method: 'POST', token: tok, body, headers: { 'idempotency-key': 'order-key-1' } });
    assert.equal(placed.statusCode, 201);
    const upstream = (catalog as StandInCatalog).requests.findLast((r) => r.url === '/orders');
    assert.equal(upstream?.headers['x-user-id'], 'carol');
    assert.equal(upstream?.headers['x-user-role'], 'user');
    assert.equal(upstream?.headers['idempotency-key'], 'order-key-1');
    assert.equal((await call(gw2, '/api/products/20')).headers['x-cache'], 'miss');
    const replay = await call(gw2, '/api/orders', { method: 'POST', token: tok, body, headers: { 'idempotency-key': 'order-key-1' } });
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.json().id, placed.json().id);
    const mine = await call(gw2, '/api/orders', { token: tok });
    assert.equal(mine.json().length, 1);
    assert.equal((await call(gw1, `/api/orders/${placed.json().id}`, { token: await token('dave') })).statusCode, 404);
  });

  test('a GraphQL batch of 3 operations is one HTTP request and one catalog ids call', async () => {
    const catalogState = catalog as StandInCatalog;
    const idsCallsBefore = catalogState.idsCalls.length;
    const readsBefore = [...catalogState.reads.values()].reduce((a, b) => a + b, 0);
    const res = await gql(gw1, [
      { query: '{ product(id: "10") { id name } }' },
      { query: '{ a: product(id: "11") { id } b: product(id: "12") { id price } }' },
      { query: 'query One($id: ID!) { product(id: $id) { id sku } }', variables: { id: '13' } },
    ]);
    assert.equal(res.statusCode, 200);
    const [r1, r2, r3] = res.json() as { data: Record<string, { id: string }> }[];
    assert.equal(r1?.data['product']?.id, '10');
    assert.equal(r2?.data['b']?.id, '12');
    assert.equal(r3?.data['product']?.id, '13');
    assert.equal(catalogState.idsCalls.length - idsCallsBefore, 1);
    assert.deepEqual([...(catalogState.idsCalls.at(-1) ?? [])].sort(), ['10', '11', '12', '13']);
    assert.equal(
      [...catalogState.reads.values()].reduce((a, b) => a + b, 0),
      readsBefore,
      'no single-product reads',
    );

    const tooMany = await gql(
      gw1,
      Array.from({ length: 11 }, () => ({ query: '{ product(id: "14") { id } }' })),
    );
    assert.equal(tooMany.statusCode, 400);
    assert.equal(catalogState.idsCalls.length - idsCallsBefore, 1, 'an oversized batch runs nothing');
  });

  test('GraphQL: protected fields need a token, orders resolve their products', async () => {
    const anonymous = await gql(gw2, { query: '{ me { id } }' });
    assert.equal(anonymous.json().data.me, null);
    assert.equal(anonymous.json().errors[0].extensions.code, 'unauthorized');
    const tok = await token('erin');
    const placed = await gql(
      gw2,
      { query: 'mutation { placeOrder(idempotencyKey: "gql-1", items: [{ productId: "15", quantity: 1 }]) { id total items { product { name } } } }' },
      { token: tok },
    );
    assert.equal(placed.json().data.placeOrder.items[0].product.name, 'Product 15');
    const me = await gql(gw2, { query: '{ me { id role } orders { id } }' }, { token: tok });
    assert.deepEqual(me.json().data, { me: { id: 'erin', role: 'user' }, orders: [{ id: placed.json().data.placeOrder.id }] });
  });

  test('GraphQL limits: depth, aliases, introspection outside dev', async () => {
    const deep = await gql(gw1, { query: '{ a { b { c { d { e { f { g { h { i { j { k } } } } } } } } } } }' });
    assert.equal(deep.statusCode, 400);
    assert.ok(deep.json().errors.some((e: { message: string }) => /exceeds maximum operation depth of 8/.test(e.message)));
    const depth3 = await gql(gw3, { query: '{ orders { items { product { id } } } }' });
    assert.equal(depth3.statusCode, 400);
    assert.match(depth3.json().errors[0].message, /exceeds maximum operation depth of 2/);

    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: product(id: "${40 + i}") { id }`).join(' ')} }`;
    const sixteen = await gql(gw1, { query: aliased(16) });
    assert.equal(sixteen.statusCode, 400);
    assert.match(sixteen.json().errors[0].message, /16 aliases; at most 15/);
    const fifteen = await gql(gw1, { query: aliased(15) });
    assert.equal(fifteen.statusCode, 200);
    assert.equal(fifteen.json().data.a14.id, '54');

    const cycle = await gql(gw1, { query: '{ product(id: "1") { ...A } } fragment A on Product { ...B } fragment B on Product { ...A }' });
    assert.equal(cycle.statusCode, 400);
    assert.match(cycle.json().errors[0].message, /within itself/);
    let bomb = '{ product(id: "1") { ...F0 } } ';
    for (let i = 0; i < 30; i++) bomb += `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} } `;
    const exploded = await gql(gw1, { query: `${bomb} fragment F30 on Product { id }` });
    assert.equal(exploded.statusCode, 400, 'a fragment bomb (2^30 fields) is refused before depth/complexity walk it');

    const introspection = await gql(gw1, { query: '{ __schema { types { name } } }' });
    assert.equal(introspection.statusCode, 400);
    assert.match(introspection.json().errors[0].message, /introspection/i);
    const inDev = await gql(gw3, { query: '{ __schema { queryType { name } } }' });
    assert.equal(inDev.json().data.__schema.queryType.name, 'Query');
  });

  test('a down upstream gives 503, and the circuit opens after the configured failures', async () => {
    const { consecutiveFailures } = MESH_POLICY.edges['gateway->catalog'].circuitBreaker;
    const first = await call(gw3, '/api/products/60');
    assert.equal(first.statusCode, 503);
    assert.equal(first.json().error, 'upstream_unavailable');
    assert.ok(Number(first.headers['retry-after']) >= 1);
    assertNoStack(first);
    for (let i = 0; (await metric(gw3, 'gateway_circuit_state', { upstream: 'catalog' })) !== 1; i++) {
      assert.ok(i < consecutiveFailures, 'the circuit never opened');
      assert.equal((await call(gw3, '/api/products/60')).statusCode, 503);
    }
    assert.equal(await metric(gw3, 'gateway_upstream_errors_total', { upstream: 'catalog', reason: 'connect' }), consecutiveFailures);
    const refusedBefore = await metric(gw3, 'gateway_upstream_errors_total', { upstream: 'catalog', reason: 'circuit_open' });
    const open = await call(gw3, '/api/products/60');
    assert.equal(open.statusCode, 503);
    assert.equal(open.json().error, 'upstream_unavailable');
    assert.ok(Number(open.headers['retry-after']) >= 1);
    assert.equal(await metric(gw3, 'gateway_upstream_errors_total', { upstream: 'catalog', reason: 'connect' }), consecutiveFailures, 'no attempt while open');
    assert.equal(await metric(gw3, 'gateway_upstream_errors_total', { upstream: 'catalog', reason: 'circuit_open' }), refusedBefore + 1);
    const ready = await gw3.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.match(ready.json().checks.catalog, /unavailable/);
  });

  test('a slow upstream times out per attempt, is retried, then gives 503', async () => {
    const { timeoutMs, retry } = MESH_POLICY.edges['gateway->catalog'];
    (catalog as StandInCatalog).delayMs = timeoutMs + 200;
    try {
      const started = performance.now();
      const res = await call(gw2, '/api/products/70');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().error, 'upstream_unavailable');
      assert.ok(performance.now() - started >= timeoutMs * (1 + retry.maxRetries));
      assert.equal(reads('70'), 1 + retry.maxRetries);
      assert.equal(await metric(gw2, 'gateway_upstream_errors_total', { upstream: 'catalog', reason: 'timeout' }), 1 + retry.maxRetries);
    } finally {
      (catalog as StandInCatalog).delayMs = 0;
    }
    assert.equal((await call(gw2, '/api/products/70')).statusCode, 200);
  });

  test("when Redis is slow the rate limits hold from each replica's memory share: no free pass, no outage", async () => {
    const primaries = (redis as Cluster).nodes('master');
    await Promise.all(primaries.map((node) => node.call('CLIENT', 'PAUSE', '4000', 'WRITE')));
    const before = await metric(gw1, 'gateway_rate_limit_fallbacks_total', { scope: 'login' });
    // Six logins from one IP at once against a limit of 5 per minute: Redis cannot count them.
    const login = () => call(gw1, '/api/auth/login', { method: 'POST', ip: '203.0.113.99', body: { username: 'alice', password: 'alice-pass-0001' } });
    const statuses = (await Promise.all(Array.from({ length: 6 }, login))).map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429], 'the memory share enforced the limit');
    assert.equal((await call(gw1, '/api/products/1', { ip: '203.0.113.99' })).statusCode, 200, 'reads are served, not refused');
    assert.ok((await metric(gw1, 'gateway_rate_limit_fallbacks_total', { scope: 'login' })) >= before + 6, 'each decision taken from memory is counted');
    assert.equal(await metric(gw1, 'gateway_rate_limited_total', { scope: 'unavailable' }), 0, 'nothing refused for want of Redis');
    await sleep(4_100);
    assert.equal((await call(gw1, '/api/products/1', { ip: '203.0.113.99' })).statusCode, 200);
  });

  test('security headers, CORS allowlist, TRACE, static UI and error bodies', async () => {
    const page = await call(gw1, '/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /crucible/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(String(page.headers['strict-transport-security']), /max-age=\d+/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.ok(page.headers['referrer-policy']);

    const foreign = await call(gw1, '/api/products/1', { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    const preflight = await call(gw1, '/api/products/1', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    const allowed = await call(gw1, '/api/products/1', { headers: { origin: 'http://127.0.0.1:7300' } });
    assert.equal(allowed.headers['access-control-allow-origin'], 'http://127.0.0.1:7300');

    const trace = await call(gw1, '/api/products/1', { method: 'TRACE' });
    assert.ok([404, 405].includes(trace.statusCode));
    for (const res of [
      trace,
      await call(gw1, '/api/nope'),
      await call(gw1, '/api/products/1?x=1'),
      await call(gw1, '/api/products/..%2f..%2fetc'),
      await call(gw1, '/api/auth/login', { method: 'POST', body: { username: 'a' } }),
      await gql(gw1, { query: '{ product(id: "1") { nope } }' }),
    ]) {
      assert.ok(res.statusCode >= 400, res.body);
      assertNoStack(res);
    }
    const logout = await call(gw1, '/api/auth/logout', { method: 'POST', token: await token('frank') });
    assert.equal(logout.statusCode, 204, 'logout without a body');
    const notFound = await call(gw1, '/api/nope');
    assert.deepEqual(Object.keys(notFound.json()).sort(), ['error', 'message', 'requestId']);
  });

  describe('vulnerable switches (mode test): each takes away exactly its own defence', () => {
    /** A gateway in mode 'test' with these switches, on the shared Redis client; closed with the others. */
    const gatewayWith = async (
      name: string,
      vulnerable: VulnerableSwitch[],
      overrides: { rateLimit?: Partial<GatewayServiceConfig['rateLimit']> } = {},
      redisClient: Cluster = redis as Cluster,
    ) => {
      const gw = await buildGatewayApp(gatewayTestConfig(env, name, { mode: 'test', vulnerable, ...overrides }), { redis: redisClient });
      gateways.push(gw);
      return gw;
    };
    const login = (gw: FastifyInstance, ip: string, password = 'alice-pass-0001') =>
      call(gw, '/api/auth/login', { method: 'POST', ip, body: { username: 'alice', password } });
    const statuses = async (responses: Promise<LightMyRequestResponse>[]) => (await Promise.all(responses)).map((r) => r.statusCode);
    const count = (xs: number[], status: number) => xs.filter((x) => x === status).length;

    test('the gateway publishes the JWKS it verifies with, public members only', async () => {
      const res = await call(gw1, '/.well-known/jwks.json');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['cache-control']), /public/);
      const [key, ...rest] = (res.json() as { keys: Record<string, unknown>[] }).keys;
      assert.equal(rest.length, 0);
      assert.equal(key?.['kid'], (auth as StandInAuth).kid);
      assert.equal(key?.['kty'], 'RSA');
      assert.deepEqual(Object.keys(key ?? {}).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    });

    test('each JWT switch admits its own forgery and no other (hardened: all refused)', async () => {
      const seg = (o: object) => base64url.encode(JSON.stringify(o));
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        sub: 'forger',
        name: 'forger',
        role: 'admin',
        jti: randomUUID(),
        iss: 'https://auth.crucible.local',
        aud: 'crucible-api',
        iat: now,
        exp: now + 300,
      };
      const hs256 = (header: object, key: string | Buffer) => {
        const input = `${seg({ typ: 'JWT', ...header, alg: 'HS256' })}.${seg(claims)}`;
        return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
      };
      const published = (await call(gw1, '/.well-known/jwks.json')).json() as { keys: JWK[] };
      const pem = createPublicKey({ key: published.keys[0] as JWK & { kty: string }, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      const attacker = await generateKeyPair('RS256', { extractable: true });
      const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker', alg: 'RS256', use: 'sig' };
      let jkuFetches = 0;
      const jkuServer = Fastify();
      jkuServer.get('/jwks.json', async () => {
        jkuFetches += 1;
        return { keys: [attackerJwk] };
      });
      await jkuServer.listen({ host: '127.0.0.1', port: JKU_PORT });
      try {
        const genuine = await token('forger', { role: 'admin' });
        const [gh, gp, gs] = genuine.split('.') as [string, string, string];
        const revokedJti = randomUUID();
        const revoked = await token('forger', { role: 'admin', jti: revokedJti });
        await (redis as Cluster).set(`revoked:jti:${revokedJti}`, '1', 'EX', 300);

        const forgeries: Record<JwtSwitch, string[]> = {
          'jwt-alg-none': ['none', 'None', 'NONE', 'nOnE'].map((alg) => `${seg({ alg, typ: 'JWT' })}.${seg(claims)}.`),
          'jwt-skip-signature': [`${gh}.${gp}.`, `${gh}.${seg({ ...decodeJwt(genuine), sub: 'forged-sub' })}.${gs}`],
          'jwt-key-confusion': [hs256({ kid: (auth as StandInAuth).kid }, pem), hs256({}, pem.trimEnd())],
          'jwt-embedded-jwk': [await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', jwk: attackerJwk }).sign(attacker.privateKey)],
          'jwt-follow-jku': [
            await new SignJWT(claims)
              .setProtectedHeader({ alg: 'RS256', kid: 'attacker', jku: `http://127.0.0.1:${JKU_PORT}/jwks.json` })
              .sign(attacker.privateKey),
          ],
          'jwt-kid-path': [hs256({ kid: '/dev/null' }, ''), hs256({ kid: '../../../../../../../../dev/null' }, '')],
          'jwt-ignore-time': [await token('forger', { role: 'admin', expiresInSec: -3600 }), await token('forger', { role: 'admin', notBeforeInSec: 3600 })],
          'jwt-ignore-audience': [
            await token('forger', { role: 'admin', audience: 'another-api' }),
            await token('forger', { role: 'admin', issuer: 'https://evil.example' }),
          ],
          'jwt-ignore-revocation': [revoked],
          'jwt-weak-secret': [hs256({}, 'secret')],
        };
        // Skipping the signature admits every forged signature (the claims still have to be right).
        const forgedSignature = new Set<JwtSwitch>([
          'jwt-alg-none',
          'jwt-key-confusion',
          'jwt-embedded-jwk',
          'jwt-follow-jku',
          'jwt-kid-path',
          'jwt-weak-secret',
        ]);
        const admits = (gateway: JwtSwitch | 'hardened', forgery: JwtSwitch) =>
          gateway === forgery || (gateway === 'jwt-skip-signature' && forgedSignature.has(forgery));

        const targets: [JwtSwitch | 'hardened', FastifyInstance][] = [['hardened', gw1]];
        for (const sw of JWT_SWITCHES) targets.push([sw, await gatewayWith(`gw-${sw}`, [sw], { rateLimit: { perIdentityPerMin: 100_000 } })]);
        const fetchesOf = new Map<string, number>();
        for (const [gateway, gw] of targets) {
          const before = jkuFetches;
          for (const [forgery, tokens] of Object.entries(forgeries) as [JwtSwitch, string[]][]) {
            for (const [i, tok] of tokens.entries()) {
              const res = await call(gw, '/api/me', { token: tok });
              const expected = admits(gateway, forgery) ? 200 : 401;
              assert.equal(res.statusCode, expected, `${forgery} #${i} on the ${gateway} gateway: ${res.body}`);
              if (expected === 200) assert.match(res.json().id, /^(forger|forged-sub)$/);
            }
          }
          fetchesOf.set(gateway, jkuFetches - before);
        }
        assert.deepEqual(
          [...fetchesOf].filter(([, n]) => n > 0),
          [['jwt-follow-jku', 1]],
          'only the jku gateway fetched the attacker key set',
        );
        await auditLine('gw-jwt-weak-secret', (l) => l['event'] === 'auth.token_rejected' && l['reason'] === 'alg_not_allowed');
      } finally {
        await jkuServer.close();
      }
    });

    test('jwt-skip-signature still checks exp, aud and iss', async () => {
      const gw = await gatewayWith('gw-skip-claims', ['jwt-skip-signature']);
      for (const [reason, tok] of [
        ['expired', await token('skip-claims', { expiresInSec: -60 })],
        ['claim_aud_check_failed', await token('skip-claims', { audience: 'another-api' })],
        ['claim_iss_check_failed', await token('skip-claims', { issuer: 'https://evil.example' })],
      ] as const) {
        const [h, p] = tok.split('.');
        assert.equal((await call(gw, '/api/me', { token: `${h}.${p}.` })).statusCode, 401, reason);
        await auditLine('gw-skip-claims', (l) => l['event'] === 'auth.token_rejected' && l['reason'] === reason);
      }
    });

    test('GraphQL login counts every resolver run: a batch with aliases gets 5 tokens for 8 attempts, audited', async () => {
      const ip = '203.0.113.130';
      const standIn = auth as StandInAuth;
      const before = standIn.logins.length;
      const refusedBefore = await metric(gw1, 'gateway_rate_limited_total', { scope: 'login' });
      const op = (from: number) => ({
        query: `mutation { ${[0, 1, 2, 3].map((i) => `t${from + i}: login(username: "alice", password: "${from + i === 7 ? 'alice-pass-0001' : 'wrong-pass'}") { accessToken tokenType expiresIn }`).join(' ')} }`,
      });
      const res = await gql(gw1, [op(0), op(4)], { ip });
      assert.equal(res.statusCode, 200);
      const answers = (
        res.json() as { data: Record<string, { accessToken: string } | null>; errors?: { path: string[]; extensions: { code: string } }[] }[]
      ).flatMap((r) => Object.entries(r.data).map(([alias, value]) => ({ alias, value, code: r.errors?.find((e) => e.path[0] === alias)?.extensions.code })));
      assert.deepEqual(
        answers.map((a) => a.code),
        [
          'invalid_credentials',
          'invalid_credentials',
          'invalid_credentials',
          'invalid_credentials',
          'invalid_credentials',
          'RATE_LIMITED',
          'RATE_LIMITED',
          'RATE_LIMITED',
        ],
        'the first five attempts in document order reach auth, the rest are refused',
      );
      assert.ok(
        answers.every((a) => a.value === null),
        'no token, not even for the correct password placed last',
      );
      assert.equal(standIn.logins.length - before, 5);
      assert.equal(standIn.logins.at(-1)?.forwardedFor, ip);
      assert.equal(await metric(gw1, 'gateway_rate_limited_total', { scope: 'login' }), refusedBefore + 3, 'each refused attempt counted');
      // Redis counts up to the first refusal; from then on the replica refuses that IP from memory.
      assert.equal(await (redis as Cluster).get(`rl:login:${ip}`), '6');
      await auditLine('gw-1', (l) => l['event'] === 'ratelimit.hit' && l['scope'] === 'login' && l['ip'] === ip && l['route'] === 'POST /graphql');

      // The operations of a batch run side by side; the limit still goes by document order, so a
      // lone correct login in a second operation (which runs second) is the seventh attempt, refused.
      const wrongs = Array.from({ length: 6 }, (_, i) => `w${i}: login(username: "alice", password: "wrong-pass") { accessToken }`).join(' ');
      const uneven = await gql(
        gw1,
        [{ query: `mutation { ${wrongs} }` }, { query: 'mutation { last: login(username: "alice", password: "alice-pass-0001") { accessToken } }' }],
        { ip: '203.0.113.132' },
      );
      const [, second] = uneven.json() as { data: { last: unknown }; errors: { extensions: { code: string } }[] }[];
      assert.equal(second?.data.last, null);
      assert.equal(second?.errors[0]?.extensions.code, 'RATE_LIMITED');

      const rest = await call(gw2, '/api/auth/login', { method: 'POST', ip, body: { username: 'alice', password: 'alice-pass-0001' } });
      assert.equal(rest.statusCode, 429, 'REST and GraphQL logins share the limit, across replicas');

      const fresh = await gql(
        gw2,
        { query: 'mutation { login(username: "alice", password: "alice-pass-0001") { accessToken refreshToken tokenType expiresIn } }' },
        { ip: '203.0.113.131' },
      );
      const payload = fresh.json().data.login;
      assert.equal(payload.tokenType, 'Bearer');
      assert.equal(payload.expiresIn, 300);
      assert.equal((await call(gw1, '/api/me', { token: payload.accessToken })).json().username, 'alice');
    });

    test('login arguments must be strings, REST and GraphQL (nosql-injection relays operator objects to auth over REST only)', async () => {
      const injection = { username: { $ne: null }, password: { $ne: null } };
      const gw = await gatewayWith('gw-nosql', ['nosql-injection']);
      const standIn = auth as StandInAuth;
      const before = standIn.logins.length;
      const refused = await call(gw1, '/api/auth/login', { method: 'POST', ip: '203.0.113.140', body: injection });
      assert.equal(refused.statusCode, 400);
      assert.equal(standIn.logins.length, before, 'the hardened gateway does not relay it');
      const relayed = await call(gw, '/api/auth/login', { method: 'POST', ip: '203.0.113.141', body: injection });
      assert.equal(relayed.statusCode, 401, 'the stand-in auth refuses it; the real auth is tested in auth.test.ts');
      assert.deepEqual(standIn.logins.at(-1)?.body, injection, 'the operator objects reached auth as sent');
      for (const target of [gw1, gw]) {
        const literal = await gql(target, { query: 'mutation { login(username: { ne: null }, password: "x") { accessToken } }' }, { ip: '203.0.113.142' });
        assert.equal(literal.statusCode, 400);
        const variables = await gql(
          target,
          {
            query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
            variables: { u: { $ne: null }, p: { $ne: null } },
          },
          { ip: '203.0.113.142' },
        );
        assert.ok(variables.statusCode >= 400 && !variables.json().data?.login, variables.body);
      }
      assert.equal(standIn.logins.length, before + 1);
    });

    test('no-login-throttle: neither REST nor GraphQL logins are limited', async () => {
      const gw = await gatewayWith('gw-no-login-throttle', ['no-login-throttle']);
      assert.deepEqual(await statuses(Array.from({ length: 8 }, () => login(gw, '203.0.113.150'))), Array(8).fill(200));
      const aliases = Array.from({ length: 8 }, (_, i) => `t${i}: login(username: "alice", password: "alice-pass-0001") { accessToken }`).join(' ');
      const res = await gql(gw, { query: `mutation { ${aliases} }` }, { ip: '203.0.113.151' });
      assert.equal(Object.values(res.json().data as Record<string, { accessToken: string } | null>).filter((v) => v?.accessToken).length, 8);
      assert.equal(await (redis as Cluster).exists('rl:login:203.0.113.151'), 0, 'not even counted');
    });

    test('no-rate-limit: no per-IP and no per-identity limit (hardened: both hold)', async () => {
      const rateLimit = { perIpPerMin: 5, perIdentityPerMin: 5 };
      const hardened = await gatewayWith('gw-tight', [], { rateLimit });
      const open = await gatewayWith('gw-no-rate-limit', ['no-rate-limit'], { rateLimit });
      const perIp = (gw: FastifyInstance, ip: string) => statuses(Array.from({ length: 8 }, () => call(gw, '/api/products/1', { ip })));
      assert.equal(count(await perIp(hardened, '203.0.113.160'), 429), 3);
      assert.equal(count(await perIp(open, '203.0.113.161'), 200), 8);
      // Each request from its own IP, so only the identity limit can refuse.
      const perIdentity = async (gw: FastifyInstance, sub: string) => {
        const tok = await token(sub);
        return statuses(Array.from({ length: 8 }, (_, i) => call(gw, '/api/me', { token: tok, ip: `198.18.${sub.length}.${i}` })));
      };
      assert.equal(count(await perIdentity(hardened, 'tight-identity'), 429), 3);
      assert.equal(count(await perIdentity(open, 'open-identity'), 200), 8);
      assert.deepEqual(
        await statuses(Array.from({ length: 6 }, () => login(open, '203.0.113.162'))),
        [200, 200, 200, 200, 200, 429],
        'the login limit is not this switch',
      );
    });

    test("trust-forwarded-for: the client's own X-Forwarded-For entry keys the limits and the audit (hardened: the edge's)", async () => {
      const spoofed = (i: number) => `10.66.0.${i}, 203.0.113.170`;
      const hardened = await statuses(Array.from({ length: 7 }, (_, i) => login(gw1, spoofed(i))));
      assert.equal(count(hardened, 429), 2, 'the hardened gateway keys on the address the edge appended');
      const gw = await gatewayWith('gw-trust-xff', ['trust-forwarded-for']);
      const before = (auth as StandInAuth).logins.length;
      const trusting = await statuses(Array.from({ length: 7 }, (_, i) => login(gw, spoofed(100 + i))));
      assert.deepEqual(trusting, Array(7).fill(200));
      const told = (auth as StandInAuth).logins.slice(before).map((l) => l.forwardedFor);
      assert.deepEqual(
        told.sort(),
        Array.from({ length: 7 }, (_, i) => `10.66.0.${100 + i}`),
        'auth is told the spoofed addresses too',
      );
      await call(gw, '/api/me', { token: 'not-a-jwt', ip: '10.66.1.1, 203.0.113.170' });
      await auditLine('gw-trust-xff', (l) => l['event'] === 'auth.token_rejected' && l['ip'] === '10.66.1.1');
    });

    test('replica-local-limits: each replica counts the whole limit in memory (hardened: shared)', async () => {
      const alternate = (a: FastifyInstance, b: FastifyInstance, ip: string, n: number) =>
        statuses(Array.from({ length: n }, (_, i) => login(i % 2 ? b : a, ip)));
      assert.equal(count(await alternate(gw1, gw2, '203.0.113.180', 10), 200), 5);
      const local1 = await gatewayWith('gw-local-1', ['replica-local-limits'], { rateLimit: { replicas: 2 } });
      const local2 = await gatewayWith('gw-local-2', ['replica-local-limits'], { rateLimit: { replicas: 2 } });
      const spread = await alternate(local1, local2, '203.0.113.181', 12);
      assert.equal(count(spread, 200), 10, 'twice the limit over two replicas');
      assert.equal(await (redis as Cluster).exists('rl:login:203.0.113.181'), 0, 'nothing shared');
    });

    test('rate-limit-fail-open: with Redis failing, requests pass uncounted (hardened: the memory share holds)', async () => {
      // An ioredis client that never became ready: the limiter refuses to use it, as when the cluster is down.
      const downRedis = { status: 'end' } as unknown as Cluster;
      const hardened = await gatewayWith('gw-redis-down', [], {}, downRedis);
      assert.deepEqual(await statuses(Array.from({ length: 7 }, () => login(hardened, '203.0.113.190'))), [200, 200, 200, 200, 200, 429, 429]);
      const open = await gatewayWith('gw-fail-open', ['rate-limit-fail-open'], {}, downRedis);
      assert.deepEqual(await statuses(Array.from({ length: 7 }, () => login(open, '203.0.113.191'))), Array(7).fill(200));
      assert.equal(await metric(open, 'gateway_rate_limit_fallbacks_total', { scope: 'login' }), 0);
      assert.equal(await metric(open, 'gateway_rate_limited_total', { scope: 'unavailable' }), 0);
    });
  });
  describe('vulnerable switches (mode test): authorization, injection, GraphQL, configuration', () => {
    /** Every request the loopback listener got: what an SSRF would reach. */
    const hits: { method: string; url: string }[] = [];
    let listener: Server | undefined;
    let hook: string;
    const withSwitches = async (name: string, vulnerable: VulnerableSwitch[]) => {
      const gw = await buildGatewayApp(gatewayTestConfig(env, name, { mode: 'test', vulnerable }), { redis: redis as Cluster });
      gateways.push(gw);
      return gw;
    };
    const audited = (instance: string, event: string, match: (l: Record<string, unknown>) => boolean = () => true) =>
      auditLine(instance, (l) => l['event'] === event && match(l));

    before(async () => {
      listener = createServer((req, res) => {
        hits.push({ method: req.method ?? '', url: req.url ?? '' });
        if (req.url === '/redirect') res.writeHead(302, { location: '/landed' }).end();
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
      });
      await new Promise<void>((resolve) => (listener as Server).listen(0, '127.0.0.1', resolve));
      hook = `127.0.0.1:${(listener.address() as AddressInfo).port}`;
      await writeFile(join(dir as string, 'outside-web-root.txt'), 'not for the web');
    });

    after(async () => {
      listener?.closeAllConnections();
      await new Promise((resolve) => listener?.close(resolve));
    });

    test('no-admin-check: a user may update a product (hardened: 403, audited)', async () => {
      const gw = await withSwitches('gw-no-admin', ['no-admin-check']);
      const user = await token('user-admin-check');
      assert.equal((await call(gw1, '/api/products/4', { method: 'PUT', token: user, body: { price: 2 } })).statusCode, 403);
      await audited('gw-1', 'authz.denied', (l) => l['user'] === 'user-admin-check');
      const res = await call(gw, '/api/products/4', { method: 'PUT', token: user, body: { price: 2 } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().price, 2);
      assert.equal((await call(gw, '/api/products/4', { method: 'PUT', body: { price: 3 } })).statusCode, 401, 'a token is still needed');
    });

    test('mass-assignment: unitPrice is refused by the schema (request.rejected); with the switch it reaches the catalog', async () => {
      const gw = await withSwitches('gw-mass', ['mass-assignment']);
      const tok = await token('user-mass');
      const body = { items: [{ productId: '25', quantity: 1, unitPrice: 0.01 }] };
      const refused = await call(gw1, '/api/orders', { method: 'POST', token: tok, body, headers: { 'idempotency-key': 'mass-1' } });
      assert.equal(refused.statusCode, 400);
      await audited('gw-1', 'request.rejected', (l) => l['user'] === 'user-mass' && l['reason'] === 'invalid_body' && l['route'] === 'POST /api/orders');
      const placed = await call(gw, '/api/orders', { method: 'POST', token: tok, body, headers: { 'idempotency-key': 'mass-2' } });
      assert.equal(placed.statusCode, 201);
      assert.equal(placed.json().items[0].unitPrice, 0.01);
    });

    test('excessive-exposure: /api/me adds the password hash and internals (hardened: id, username, role)', async () => {
      const gw = await withSwitches('gw-exposure', ['excessive-exposure']);
      const tok = await token('user-exposure');
      assert.deepEqual(Object.keys((await call(gw1, '/api/me', { token: tok })).json()).sort(), ['id', 'role', 'username']);
      const me = (await call(gw, '/api/me', { token: tok })).json();
      assert.match(me.passwordHash, /^scrypt\$/);
      assert.equal(me.id, 'user-exposure');
      assert.equal(typeof me.tokenId, 'string');
    });

    test('sql-injection: quotes and operators in q are refused at the gateway (request.rejected); with the switch they pass', async () => {
      const gw = await withSwitches('gw-sqli', ['sql-injection']);
      const payload = encodeURIComponent("zzz') OR ('1'='1");
      assert.equal((await call(gw1, '/api/products?q=walnut%20skillet')).statusCode, 200, 'ordinary search text passes');
      assert.equal((await call(gw1, `/api/products?q=${payload}`, { ip: '203.0.113.220' })).statusCode, 400);
      await audited('gw-1', 'request.rejected', (l) => l['ip'] === '203.0.113.220' && l['reason'] === 'invalid_querystring');
      assert.equal((await call(gw, `/api/products?q=${payload}`)).statusCode, 200);
      assert.ok(
        (catalog as StandInCatalog).requests.some((r) => decodeURIComponent(r.url.replace(/\+/g, ' ')).includes("zzz') OR ('1'='1")),
        'the payload reached the catalog',
      );
    });

    test('header-injection: /account redirects relatively (hardened) or to X-Forwarded-Host (switch)', async () => {
      const gw = await withSwitches('gw-header', ['header-injection']);
      const headers = { 'x-forwarded-host': 'evil.example' };
      const hardened = await call(gw1, '/account', { headers });
      assert.equal(hardened.statusCode, 302);
      assert.equal(hardened.headers['location'], '/');
      const injected = await call(gw, '/account', { headers });
      assert.equal(injected.statusCode, 302);
      assert.equal(injected.headers['location'], 'http://evil.example/');
    });

    test('path-traversal: /static/ stays inside the web root (route.probe audited); with the switch it does not', async () => {
      const gw = await withSwitches('gw-traversal', ['path-traversal']);
      assert.equal((await call(gw1, '/static/index.html')).statusCode, 200);
      const escape = '/static/..%2foutside-web-root.txt';
      const hardened = await call(gw1, escape, { ip: '203.0.113.221' });
      assert.ok([403, 404].includes(hardened.statusCode), `status ${hardened.statusCode}`);
      assert.ok(!hardened.body.includes('not for the web'));
      await audited('gw-1', 'route.probe', (l) => l['ip'] === '203.0.113.221' && l['reason'] === 'path_traversal');
      const leaked = await call(gw, escape);
      assert.equal(leaked.statusCode, 200);
      assert.equal(leaked.body, 'not for the web');
      assert.equal((await call(gw, '/static/index.html')).statusCode, 200);
    });

    test('webhooks: loopback, private, metadata and non-https URLs are refused (ssrf.blocked) and nothing is fetched', async () => {
      const tok = await token('user-webhook');
      const port = hook.split(':')[1];
      const refused = [
        `http://${hook}/hook`,
        `https://${hook}/hook`,
        `https://localhost:${port}/hook`,
        `https://[::1]:${port}/hook`,
        `https://[::ffff:127.0.0.1]:${port}/hook`,
        `https://2130706433:${port}/hook`,
        'https://169.254.169.254/latest/meta-data/',
        'https://metadata.google.internal/computeMetadata/v1/',
        'https://10.1.2.3/hook',
        'https://192.168.0.10/hook',
        'https://user:pass@example.com/hook',
        'gopher://127.0.0.1:6379/_PING',
        'file:///etc/passwd',
        'not a url',
      ];
      for (const url of refused) {
        const res = await call(gw1, '/api/webhooks', { method: 'POST', token: tok, body: { url } });
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().error, 'url_not_allowed', url);
      }
      await audited(
        'gw-1',
        'ssrf.blocked',
        (l) => l['user'] === 'user-webhook' && l['reason'] === 'forbidden_address' && String(l['url']).includes('169.254.169.254'),
      );
      assert.equal((await call(gw1, '/api/webhooks', { method: 'POST', body: { url: 'https://example.com/' } })).statusCode, 401);
      await sleep(50);
      assert.deepEqual(hits, [], 'the loopback listener got nothing');
    });

    test('ssrf-open: the webhook URL is fetched whatever it is, redirects followed', async () => {
      const gw = await withSwitches('gw-ssrf', ['ssrf-open']);
      const res = await call(gw, '/api/webhooks', { method: 'POST', token: await token('user-ssrf'), body: { url: `http://${hook}/redirect` } });
      assert.equal(res.statusCode, 201);
      assert.equal(res.json().ping.status, 200);
      assert.deepEqual(hits, [
        { method: 'POST', url: '/redirect' },
        { method: 'GET', url: '/landed' },
      ]);
      hits.length = 0;
    });

    test('GraphQL hardened: no suggestions, no introspection, limits refused and audited as graphql.rejected', async () => {
      const typo = await gql(gw1, { query: '{ product(id: "1") { nme } }' });
      assert.equal(typo.statusCode, 400);
      assert.match(typo.json().errors[0].message, /Cannot query field "nme"/);
      assert.doesNotMatch(typo.body, /Did you mean/);
      const introspection = await gql(gw1, { query: '{ __schema { types { name } } }' }, { ip: '203.0.113.230' });
      assert.equal(introspection.json().errors[0].extensions.code, 'introspection_disabled');
      await audited('gw-1', 'graphql.rejected', (l) => l['ip'] === '203.0.113.230' && (l['reasons'] as string[]).includes('introspection_disabled'));
      const deep = `{ product(id: "1") { ${'related(limit: 1) { '.repeat(9)}id${' }'.repeat(9)} } }`;
      await gql(gw1, { query: deep }, { ip: '203.0.113.231' });
      await audited('gw-1', 'graphql.rejected', (l) => l['ip'] === '203.0.113.231' && (l['reasons'] as string[]).includes('query_too_deep'));
      const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: product(id: "1") { id }`).join(' ')} }`;
      await gql(gw1, { query: aliases }, { ip: '203.0.113.232' });
      await audited('gw-1', 'graphql.rejected', (l) => l['ip'] === '203.0.113.232' && (l['reasons'] as string[]).includes('too_many_aliases'));
      await gql(
        gw1,
        Array.from({ length: 11 }, () => ({ query: '{ product(id: "1") { id } }' })),
        { ip: '203.0.113.233' },
      );
      await audited('gw-1', 'graphql.rejected', (l) => l['ip'] === '203.0.113.233' && (l['reasons'] as string[]).includes('batch_too_large'));
      // Nested lists multiply: three levels of related(limit: 20) would be 8,000 products in 5 fields.
      const amplified = await gql(
        gw1,
        { query: '{ product(id: "1") { related(limit: 20) { related(limit: 20) { related(limit: 20) { id } } } } }' },
        { ip: '203.0.113.234' },
      );
      assert.equal(amplified.statusCode, 400, amplified.body);
      assert.equal(amplified.json().errors[0].extensions.code, 'query_too_complex');
      const cheap = await gql(gw1, { query: '{ product(id: "1") { related(limit: 2) { related(limit: 2) { id name } } } }' });
      assert.equal(cheap.statusCode, 200, `a small nested list is fine: ${cheap.body}`);
    });

    test('graphql-introspection: introspection and "Did you mean" suggestions are on', async () => {
      const gw = await withSwitches('gw-introspection', ['graphql-introspection']);
      const schema = await gql(gw, { query: '{ __schema { queryType { name } } }' });
      assert.equal(schema.json().data.__schema.queryType.name, 'Query');
      assert.match((await gql(gw, { query: '{ product(id: "1") { nme } }' })).body, /Did you mean \\"name\\"\?/);
    });

    test('graphql-no-limits: depth, aliases and batch size are not limited', async () => {
      const gw = await withSwitches('gw-no-limits', ['graphql-no-limits']);
      const deep = await gql(gw, { query: `{ product(id: "1") { ${'related(limit: 1) { '.repeat(9)}id${' }'.repeat(9)} } }` });
      assert.equal(deep.statusCode, 200, deep.body);
      const aliases = await gql(gw, { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: product(id: "1") { id }`).join(' ')} }` });
      assert.equal(aliases.json().data.a39.id, '1');
      const batch = await gql(
        gw,
        Array.from({ length: 30 }, () => ({ query: '{ product(id: "1") { id } }' })),
      );
      assert.equal(batch.statusCode, 200);
      assert.equal((batch.json() as unknown[]).length, 30);
    });

    test('verbose-errors: error bodies carry stack traces and internals', async () => {
      const gw = await withSwitches('gw-verbose', ['verbose-errors']);
      const malformed = {
        method: 'POST' as const,
        token: await token('user-verbose'),
        headers: { 'content-type': 'application/json', 'idempotency-key': 'verbose-1' },
        body: '{"items": [',
      };
      assertNoStack(await call(gw1, '/api/orders', malformed));
      const res = await call(gw, '/api/orders', malformed);
      assert.equal(res.statusCode, 400);
      assert.match(res.json().stack, /\bat .+\.(ts|js):\d+/);
      assert.equal(res.json().internal.code, 'FST_ERR_CTP_INVALID_JSON_BODY');
      const graph = await gql(gw, { query: '{ product(id: "1") { nope } }' });
      assert.ok(Array.isArray(graph.json().errors[0].extensions.exception.stacktrace));
    });

    test('permissive-cors: any Origin is reflected with credentials (hardened: no ACAO for a stranger)', async () => {
      const gw = await withSwitches('gw-cors', ['permissive-cors']);
      const origin = { origin: 'https://evil.example' };
      assert.equal((await call(gw1, '/api/products/1', { headers: origin })).headers['access-control-allow-origin'], undefined);
      const res = await call(gw, '/api/products/1', { headers: origin });
      assert.equal(res.headers['access-control-allow-origin'], 'https://evil.example');
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
    });

    test('no-security-headers: no CSP, HSTS, nosniff or frame options', async () => {
      const gw = await withSwitches('gw-headers', ['no-security-headers']);
      const page = await call(gw, '/');
      assert.equal(page.statusCode, 200);
      for (const name of ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options'])
        assert.equal(page.headers[name], undefined, name);
      assert.ok((await call(gw1, '/')).headers['content-security-policy']);
    });

    test('allow-trace: TRACE echoes the request, headers included (hardened: refused)', async () => {
      const gw = await withSwitches('gw-trace', ['allow-trace']);
      const headers = { cookie: 'session=s3cr3t', 'x-api-key': 'k3y' };
      assert.ok([404, 405].includes((await call(gw1, '/api/products/1', { method: 'TRACE', headers })).statusCode));
      const res = await call(gw, '/api/products/1', { method: 'TRACE', headers });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /^TRACE \/api\/products\/1 HTTP\/1\.1/);
      assert.match(res.body, /cookie: session=s3cr3t/);
      assert.match(res.body, /x-api-key: k3y/);
    });

    test('expose-internals: /internal/state is served (hardened: 404, audited as a route probe)', async () => {
      const gw = await withSwitches('gw-internals', ['expose-internals']);
      assert.equal((await call(gw1, '/internal/state', { ip: '203.0.113.240' })).statusCode, 404);
      await audited('gw-1', 'route.probe', (l) => l['ip'] === '203.0.113.240' && l['path'] === '/internal/state');
      const state = await call(gw, '/internal/state');
      assert.equal(state.statusCode, 200);
      assert.equal(state.json().redis.password, env.redisPassword);
      assert.equal(state.json().instance, 'gw-internals');
    });

    test('debug-routes: /debug/vars, /.env, /graphiql and the unauthenticated /api/v0 (hardened: 404s, audited)', async () => {
      const gw = await withSwitches('gw-debug', ['debug-routes']);
      const placed = await call(gw1, '/api/orders', {
        method: 'POST',
        token: await token('user-v0'),
        body: { items: [{ productId: '26', quantity: 1 }] },
        headers: { 'idempotency-key': 'v0-1' },
      });
      const legacy = `/api/v0/orders/${placed.json().id}`;
      for (const path of ['/debug/vars', '/.env', '/graphiql', legacy]) {
        assert.equal((await call(gw1, path, { ip: '203.0.113.250' })).statusCode, 404, path);
        await audited('gw-1', 'route.probe', (l) => l['ip'] === '203.0.113.250' && l['path'] === path);
      }
      assert.equal((await call(gw, '/debug/vars')).json().config.instance, 'gw-debug');
      assert.match((await call(gw, '/.env')).body, new RegExp(`REDIS_PASSWORD=${env.redisPassword}`));
      const ide = await call(gw, '/graphiql');
      assert.equal(ide.statusCode, 200);
      assert.match(String(ide.headers['content-type']), /html/);
      const order = await call(gw, legacy);
      assert.equal(order.statusCode, 200, 'no token needed');
      assert.equal(order.json().userId, 'user-v0');
    });
  });
});

describe('service config', () => {
  test('a config with vulnerable switches loads only in mode test', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'crucible-gateway-config-'));
    try {
      const write = async (name: string, mode: string) => {
        const file = join(folder, name);
        await writeFile(file, JSON.stringify({ service: 'gateway', instance: 'gw-x', mode, vulnerable: ['jwt-alg-none', 'no-rate-limit'] }));
        return file;
      };
      assert.deepEqual(loadServiceConfig('gateway', await write('test.json', 'test')).vulnerable, ['jwt-alg-none', 'no-rate-limit']);
      for (const mode of ['production', 'dev']) {
        const file = await write(`${mode}.json`, mode);
        assert.throws(() => loadServiceConfig('gateway', file), /vulnerable switches \(jwt-alg-none, no-rate-limit\) are refused outside mode 'test'/);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
