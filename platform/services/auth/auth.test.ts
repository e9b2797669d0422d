// Integration test of the auth service against a real PostgreSQL and a real six-node Redis Cluster,
// over mutual TLS with certificates from the local CA. Run: node --test platform/services/auth/auth.test.ts
// Ports: CRUCIBLE_AUTH_TEST_PORT_BASE (default 7650): PostgreSQL on +1, Redis on +2..+7, +8 kept free
// (a dead PostgreSQL address for the outage test).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Cluster } from 'ioredis';
import { createLocalJWKSet, decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { Agent, request, type Dispatcher } from 'undici';
import { createLocalCa, type LocalCa } from '../../local/local-ca.ts';
import { createAuditLog, type AuditLog } from '../shared/audit-log.ts';
import { createPostgresPool } from '../shared/postgres-pool.ts';
import { createRedisCluster } from '../shared/redis-cluster.ts';
import { loadServiceConfig, type AuthServiceConfig } from '../shared/service-config.ts';
import { mutualTlsAgent, readTlsMaterial } from '../shared/tls.ts';
import { buildAuthApp } from './app.ts';
import { migrate } from './migrations.ts';
import { createPasswordHasher } from './password-hasher.ts';
import { seedUsersIfEmpty } from './seed-users.ts';
import { startTestPostgres, type TestPostgres } from '../../../test/support/test-postgres.ts';
import { startRedisTestCluster, type RedisTestCluster } from '../../../test/support/test-redis-cluster.ts';

const PORT_BASE = Number(process.env['CRUCIBLE_AUTH_TEST_PORT_BASE'] ?? 7650);
const PG_PORT = PORT_BASE + 1;
const REDIS_BASE = PORT_BASE + 2;
const DEAD_PORT = PORT_BASE + 8;
const SEED_FILE = join(import.meta.dirname, '../../../fixtures/users.json');
const ISSUER = 'https://auth.crucible.local';
const AUDIENCE = 'crucible-api';

interface Response {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

async function assertPortsFree(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', () =>
        reject(new Error(`port ${port} is in use; set CRUCIBLE_AUTH_TEST_PORT_BASE to a free range in 7650-7699 (needs base+1..base+8)`)),
      );
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  }
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

describe('auth service', () => {
  let tmp: string | undefined;
  let postgres: TestPostgres | undefined;
  let redisCluster: RedisTestCluster | undefined;
  let pool: pg.Pool | undefined;
  let redis: Cluster | undefined;
  let app: FastifyInstance | undefined;
  let audit: AuditLog;
  let ca: LocalCa;
  let config: AuthServiceConfig;
  let baseUrl: string;
  type Caller = 'gateway' | 'prometheus' | 'catalog' | 'auth' | 'anonymous';
  const agents = new Map<Caller, Agent>();
  let seedMs = 0;

  const db = (): pg.Pool => pool ?? assert.fail('no pool');
  const kv = (): Cluster => redis ?? assert.fail('no redis');

  async function call(
    method: Dispatcher.HttpMethod,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; as?: Caller; url?: string } = {},
  ): Promise<Response> {
    const res = await request(`${opts.url ?? baseUrl}${path}`, {
      method,
      dispatcher: agents.get(opts.as ?? 'gateway') ?? assert.fail(`no agent for ${opts.as ?? 'gateway'}`),
      headers: { ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.body.text();
    const isJson = String(res.headers['content-type'] ?? '').includes('json');
    return { status: res.statusCode, headers: res.headers, body: text && isJson ? (JSON.parse(text) as Record<string, unknown>) : { text } };
  }

  const login = (username: string, password: string, ip = '203.0.113.7') =>
    call('POST', '/login', { body: { username, password }, headers: { 'x-forwarded-for': `${ip}, 10.0.0.1` } });

  before(async () => {
    await assertPortsFree([PG_PORT, ...Array.from({ length: 6 }, (_, i) => REDIS_BASE + i), DEAD_PORT]);
    tmp = await mkdtemp(join(tmpdir(), 'crucible-auth-test-'));
    // mkdtemp makes the dir 0700; the postgres OS user must be able to reach its data dir inside.
    await chmod(tmp, 0o711);
    // allSettled: when one start fails, the others have still finished (and are recorded for
    // teardown) before the hook throws, so nothing keeps running or writing into a removed dir.
    const [pgStarted, redisStarted, caMade] = await Promise.allSettled([
      startTestPostgres(PG_PORT),
      startRedisTestCluster({
        dir: join(tmp, 'redis'),
        ports: [0, 1, 2, 3, 4, 5].map((i) => REDIS_BASE + i),
        busPorts: [0, 1, 2, 3, 4, 5].map((i) => REDIS_BASE + 20 + i),
        password: 'auth-test-redis',
      }),
      createLocalCa(join(tmp, 'ca'), ['auth', 'gateway', 'prometheus', 'catalog']),
    ]);
    if (pgStarted.status === 'fulfilled') postgres = pgStarted.value;
    if (redisStarted.status === 'fulfilled') redisCluster = redisStarted.value;
    for (const r of [pgStarted, redisStarted, caMade]) if (r.status === 'rejected') throw r.reason;
    ca = (caMade as PromiseFulfilledResult<LocalCa>).value;
    const pgConfig = (pgStarted as PromiseFulfilledResult<TestPostgres>).value.clientConfig();
    const cluster = (redisStarted as PromiseFulfilledResult<RedisTestCluster>).value;

    const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    const privateKeyFile = join(tmp, 'jwt-key.pem');
    await writeFile(privateKeyFile, await exportPKCS8(privateKey), { mode: 0o600 });

    const configFile = join(tmp, 'auth.json');
    const written: AuthServiceConfig = {
      service: 'auth',
      instance: 'auth-test',
      host: '127.0.0.1',
      port: 0,
      mode: 'test',
      tls: { caFile: ca.caFile, ...ca.identities.auth },
      auditFile: join(tmp, 'audit', 'auth-test.jsonl'),
      logLevel: 'fatal',
      postgres: pgConfig,
      redis: { nodes: cluster.nodes, natMap: {}, password: cluster.password },
      jwt: { privateKeyFile, kid: 'test-key-1', issuer: ISSUER, audience: AUDIENCE, accessTokenTtlSec: 300, refreshTokenTtlSec: 86_400 },
      lockout: { maxFailures: 5, windowSec: 300, lockSec: 300 },
      passwordHash: { N: 16_384, r: 8, p: 1 },
      seedUsersFile: SEED_FILE,
    };
    await writeFile(configFile, JSON.stringify(written, null, 2));
    config = loadServiceConfig('auth', configFile);

    pool = createPostgresPool(config.postgres, 'auth-test');
    redis = createRedisCluster(config.redis, 'auth-test');
    assert.deepEqual(await migrate(pool), [1]);
    const started = performance.now();
    assert.equal(await seedUsersIfEmpty(pool, config.seedUsersFile, await createPasswordHasher(config.passwordHash)), 27);
    seedMs = performance.now() - started;

    const registry = new Registry();
    audit = createAuditLog(config.auditFile, { service: 'auth', instance: config.instance }, registry);
    app = await buildAuthApp(config, { pool, redis, tls: readTlsMaterial(config.tls), registry, audit });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    baseUrl = `https://127.0.0.1:${address.port}`;

    const material = (id: 'gateway' | 'prometheus' | 'catalog' | 'auth') => readTlsMaterial({ caFile: ca.caFile, ...ca.identities[id] });
    for (const id of ['gateway', 'prometheus', 'catalog', 'auth'] as const) agents.set(id, mutualTlsAgent(material(id), 'auth'));
    agents.set('anonymous', new Agent({ connect: { ca: await readFile(ca.caFile, 'utf8'), servername: 'auth', rejectUnauthorized: true } }));
  });

  after(async () => {
    // Every step runs even when an earlier one fails, so no postgres or redis process outlives the test.
    const steps: Array<[string, () => Promise<unknown> | undefined]> = [
      ['close agents', () => Promise.all([...agents.values()].map((a) => a.close()))],
      ['close app', () => app?.close()],
      ['disconnect redis', async () => redis?.disconnect()],
      ['end pool', () => pool?.end()],
      ['stop redis cluster', () => redisCluster?.stop()],
      ['stop postgres', () => postgres?.stop()],
      ['remove temp dir', () => (tmp ? rm(tmp, { recursive: true, force: true }) : undefined)],
    ];
    const failures: string[] = [];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (err) {
        failures.push(`${name}: ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('migrations are recorded and idempotent', async () => {
    const { rows } = await db().query<{ version: number; name: string }>('SELECT version, name FROM auth.schema_migrations ORDER BY version');
    assert.deepEqual(rows, [{ version: 1, name: 'create_users' }]);
    assert.deepEqual(await migrate(db()), []);
    await assert.rejects(
      migrate(db(), [{ version: 2, name: 'broken_on_purpose', sql: 'ALTER TABLE auth.nope ADD COLUMN x int' }]),
      /auth migration 2 \(broken_on_purpose\) failed: .*auth\.nope/,
    );
    assert.equal((await db().query('SELECT 1 FROM auth.schema_migrations WHERE version = 2')).rowCount, 0);
  });

  test('stored passwords are scrypt hashes, not plaintext', async () => {
    const fixtures = (JSON.parse(await readFile(SEED_FILE, 'utf8')) as { users: Array<{ username: string; password: string }> }).users;
    const { rows } = await db().query<{ username: string; password_hash: string }>('SELECT username, password_hash FROM auth.users');
    assert.equal(rows.length, fixtures.length);
    const salts = new Set<string>();
    for (const row of rows) {
      assert.match(row.password_hash, /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/, row.username);
      const password = fixtures.find((f) => f.username === row.username)?.password;
      assert.ok(password && !row.password_hash.includes(password), `${row.username}: hash contains the password`);
      salts.add(row.password_hash.split('$')[4] ?? '');
    }
    assert.equal(salts.size, rows.length, 'every hash has its own salt');
  });

  test('login returns a token pair whose access token verifies with the JWKS', async () => {
    const res = await login('admin', 'admin-pass-0001');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);
    assert.equal(res.body['tokenType'], 'Bearer');
    assert.equal(res.body['expiresIn'], 300);
    assert.match(String(res.body['refreshToken']), /^[A-Za-z0-9_-]{43}$/);

    const jwks = await call('GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    const key = (jwks.body as unknown as JSONWebKeySet).keys[0];
    assert.equal(key?.kid, 'test-key-1');
    assert.equal(key?.alg, 'RS256');
    assert.equal(key?.use, 'sig');
    assert.equal(key?.['d'], undefined, 'the JWKS must not carry the private exponent');

    const token = String(res.body['accessToken']);
    assert.equal(decodeProtectedHeader(token).kid, 'test-key-1');
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body as unknown as JSONWebKeySet), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256'],
    });
    const { rows } = await db().query<{ id: string }>("SELECT id FROM auth.users WHERE username = 'admin'");
    assert.equal(payload.sub, rows[0]?.id);
    assert.equal(payload['name'], 'admin');
    assert.equal(payload['role'], 'admin');
    assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
    assert.equal(payload.nbf, payload.iat);
    assert.equal(payload.exp, (payload.iat ?? 0) + 300);
  });

  test('wrong password and unknown user get the same 401', async () => {
    const wrong = await login('carol', 'not-her-password');
    const unknown = await login('nobody-here', 'carol-pass-0001');
    for (const res of [wrong, unknown]) {
      assert.equal(res.status, 401);
      assert.equal(res.body['error'], 'invalid_credentials');
      assert.equal(typeof res.body['requestId'], 'string');
    }
    const { requestId: _a, ...wrongBody } = wrong.body;
    const { requestId: _b, ...unknownBody } = unknown.body;
    assert.deepEqual(wrongBody, unknownBody);
  });

  test('login bodies are validated strictly', async () => {
    assert.equal((await call('POST', '/login', { body: { username: 'alice', password: 'alice-pass-0001', role: 'admin' } })).status, 400);
    assert.equal((await call('POST', '/login', { body: { username: 'alice' } })).status, 400);
    assert.equal((await call('POST', '/login', { body: { username: 'alice', password: 'x'.repeat(257) } })).status, 400);
    assert.equal((await call('POST', '/login', { body: { username: 42, password: 'alice-pass-0001' } })).status, 400);
  });

  test('five failures lock the account: 423 with Retry-After even with the right password', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await login('lockout-1', 'wrong-password')).status, 401);
    const locked = await login('lockout-1', 'lockout-pass-0001');
    assert.equal(locked.status, 423);
    assert.equal(locked.body['error'], 'account_locked');
    const retryAfter = Number(locked.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 300, `Retry-After ${String(locked.headers['retry-after'])}`);
    assert.ok((await kv().ttl('login:lock:lockout-1')) > 0);
    // Other accounts are unaffected.
    assert.equal((await login('lockout-2', 'lockout-pass-0002')).status, 200);
  });

  test('a successful login clears the failure counter', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await login('lockout-3', 'wrong-password')).status, 401);
    assert.equal(await kv().get('login:fail:lockout-3'), '4');
    assert.equal((await login('lockout-3', 'lockout-pass-0003')).status, 200);
    assert.equal(await kv().exists('login:fail:lockout-3'), 0);
  });

  /** A second auth app on the same database and Redis, in mode 'test' with these switches, audited to its own file. */
  async function withSwitches<T>(vulnerable: AuthServiceConfig['vulnerable'], use: (url: string) => Promise<T>): Promise<T> {
    const switched: AuthServiceConfig = { ...config, instance: 'auth-switched', auditFile: join(tmp as string, 'audit', 'auth-switched.jsonl'), vulnerable };
    const other = await buildAuthApp(switched, { pool: db(), redis: kv(), tls: readTlsMaterial(config.tls), registry: new Registry() });
    try {
      await other.listen({ host: '127.0.0.1', port: 0 });
      const address = other.server.address();
      assert.ok(address && typeof address === 'object');
      return await use(`https://127.0.0.1:${address.port}`);
    } finally {
      await other.close();
    }
  }

  test('nosql-injection: operator objects log in as the first user (hardened: 400)', async () => {
    const injection = { username: { $ne: null }, password: { $ne: null } };
    assert.equal((await call('POST', '/login', { body: injection })).status, 400);
    assert.equal((await call('POST', '/login', { body: { username: 'alice', password: { $ne: null } } })).status, 400);
    const adminId = (await db().query<{ id: string }>("SELECT id FROM auth.users WHERE username = 'admin'")).rows[0]?.id;
    await withSwitches(['nosql-injection'], async (url) => {
      const subjectOf = async (body: unknown) => {
        const res = await call('POST', '/login', { url, body });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const [, payload] = String(res.body['accessToken']).split('.');
        return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { sub: string; name: string; role: string };
      };
      const first = await subjectOf(injection);
      assert.deepEqual([first.sub, first.name, first.role], [adminId, 'admin', 'admin']);
      assert.equal((await subjectOf({ username: 'alice', password: { $ne: null } })).name, 'alice');
      assert.equal((await subjectOf({ username: { $regex: '^bo' }, password: 'bob-pass-0001' })).name, 'bob');
      assert.equal((await subjectOf({ username: 'carol', password: 'carol-pass-0001' })).name, 'carol', 'string logins work as before');
      assert.equal((await call('POST', '/login', { url, body: { username: 'carol', password: 'wrong-password' } })).status, 401);
      assert.equal((await call('POST', '/login', { url, body: { username: { $eq: 'nobody' }, password: { $ne: null } } })).status, 401);
    });
  });

  test('no-login-throttle: failures never lock the account (hardened: 5 lock it)', async () => {
    await withSwitches(['no-login-throttle'], async (url) => {
      for (let i = 0; i < 8; i++) assert.equal((await call('POST', '/login', { url, body: { username: 'ivan', password: 'wrong-password' } })).status, 401);
      assert.equal(await kv().exists('login:lock:ivan'), 0);
      assert.equal((await call('POST', '/login', { url, body: { username: 'ivan', password: 'ivan-pass-0001' } })).status, 200);
    });
    assert.equal(await kv().exists('login:fail:ivan'), 0, 'the success cleared the count, as hardened');
  });

  test('a config with vulnerable switches loads only in mode test', async () => {
    const file = join(tmp as string, 'auth-production.json');
    await writeFile(file, JSON.stringify({ ...config, mode: 'production', vulnerable: ['nosql-injection'] }));
    assert.throws(() => loadServiceConfig('auth', file), /vulnerable switches \(nosql-injection\) are refused outside mode 'test'/);
    await writeFile(file, JSON.stringify({ ...config, mode: 'test', vulnerable: ['no-login-throttle'] }));
    assert.deepEqual(loadServiceConfig('auth', file).vulnerable, ['no-login-throttle']);
  });

  test('refresh rotates the pair and spends the old refresh token', async () => {
    const first = await login('alice', 'alice-pass-0001');
    assert.equal(first.status, 200);
    const refreshed = await call('POST', '/refresh', { body: { refreshToken: first.body['refreshToken'] } });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body['refreshToken'], first.body['refreshToken']);
    assert.notEqual(refreshed.body['accessToken'], first.body['accessToken']);
    const { payload } = await jwtVerify(
      String(refreshed.body['accessToken']),
      createLocalJWKSet((await call('GET', '/.well-known/jwks.json')).body as unknown as JSONWebKeySet),
      {
        issuer: ISSUER,
        audience: AUDIENCE,
      },
    );
    assert.equal(payload['name'], 'alice');
    assert.equal(payload['role'], 'user');

    const replay = await call('POST', '/refresh', { body: { refreshToken: first.body['refreshToken'] } });
    assert.equal(replay.status, 401);
    assert.equal(replay.body['error'], 'invalid_refresh_token');
    assert.equal((await call('POST', '/refresh', { body: { refreshToken: 'never-issued' } })).body['error'], 'invalid_refresh_token');
  });

  test('refresh tokens are stored hashed with the subject and a one-day TTL', async () => {
    const res = await login('dave', 'dave-pass-0001');
    const key = `refresh:${createHash('sha256').update(String(res.body['refreshToken'])).digest('hex')}`;
    const stored = JSON.parse((await kv().get(key)) ?? 'null') as { userId: string; username: string; role: string };
    assert.equal(stored.username, 'dave');
    assert.equal(stored.role, 'user');
    const ttl = await kv().ttl(key);
    assert.ok(ttl > 86_000 && ttl <= 86_400, `ttl ${ttl}`);
  });

  test('logout revokes the access token jti and the refresh token', async () => {
    const pair = await login('bob', 'bob-pass-0001');
    const accessToken = String(pair.body['accessToken']);
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet((await call('GET', '/.well-known/jwks.json')).body as unknown as JSONWebKeySet), {
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const auth = { authorization: `Bearer ${accessToken}` };

    const out = await call('POST', '/logout', { body: { refreshToken: pair.body['refreshToken'] }, headers: auth });
    assert.equal(out.status, 204);
    assert.equal(await kv().get(`revoked:jti:${String(payload.jti)}`), '1');
    const ttl = await kv().ttl(`revoked:jti:${String(payload.jti)}`);
    // Revoked for as long as the token would have lived (its exp, 300 s after issue), however long the steps above took.
    const left = Number(payload.exp) - Math.floor(Date.now() / 1000);
    assert.ok(ttl >= left - 2 && ttl <= 300, `revocation ttl ${ttl} s, token valid ${left} s more`);

    const again = await call('POST', '/logout', { body: { refreshToken: pair.body['refreshToken'] }, headers: auth });
    assert.equal(again.status, 401);
    const refresh = await call('POST', '/refresh', { body: { refreshToken: pair.body['refreshToken'] } });
    assert.equal(refresh.status, 401);
    assert.equal(refresh.body['error'], 'invalid_refresh_token');
  });

  test('logout works without a body and refuses bad tokens', async () => {
    const pair = await login('erin', 'erin-pass-0001');
    assert.equal((await call('POST', '/logout', { headers: { authorization: `Bearer ${String(pair.body['accessToken'])}` } })).status, 204);
    // The refresh token was not named, so it still works.
    assert.equal((await call('POST', '/refresh', { body: { refreshToken: pair.body['refreshToken'] } })).status, 200);

    const missing = await call('POST', '/logout', { body: {} });
    assert.equal(missing.status, 401);
    assert.equal(missing.body['error'], 'invalid_token');
    const token = String(pair.body['accessToken']);
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    assert.equal((await call('POST', '/logout', { body: {}, headers: { authorization: `Bearer ${tampered}` } })).status, 401);
    assert.equal((await call('POST', '/logout', { body: {}, headers: { authorization: 'Bearer not.a.jwt' } })).status, 401);
  });

  test('a client without a certificate is refused in the TLS handshake', async () => {
    await assert.rejects(call('GET', '/healthz', { as: 'anonymous' }));
  });

  test('mesh policy: prometheus may scrape /metrics, catalog is refused with 403', async () => {
    const metrics = await call('GET', '/metrics', { as: 'prometheus' });
    assert.equal(metrics.status, 200);
    const text = String(metrics.body['text']);
    assert.match(text, /auth_logins_total\{result="success"\} \d+/);
    assert.match(text, /auth_logins_total\{result="invalid_credentials"\} \d+/);
    assert.match(text, /auth_logins_total\{result="locked"\} 1/);
    assert.match(text, /http_server_request_duration_seconds_bucket\{le="0.2",route="\/login",method="POST",status_code="200"/);

    const denied = await call('GET', '/metrics', { as: 'catalog' });
    assert.equal(denied.status, 403);
    assert.equal(denied.body['error'], 'forbidden');
    assert.equal((await call('POST', '/login', { as: 'catalog', body: { username: 'admin', password: 'admin-pass-0001' } })).status, 403);
    // Its own identity (the health check's) is refused too; the audit test below checks it is not an audit event.
    assert.equal((await call('GET', '/healthz', { as: 'auth' })).status, 403);
  });

  test('readiness checks postgres and redis', async () => {
    const res = await call('GET', '/readyz');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body['checks'], { postgres: 'ok', redis: 'ok' });
  });

  test('a PostgreSQL outage answers 503 unavailable (not 500) and /readyz names it', async () => {
    const deadPool = createPostgresPool({ ...config.postgres, port: DEAD_PORT }, 'auth-test-dead');
    const other = await buildAuthApp(config, { pool: deadPool, redis: kv(), tls: readTlsMaterial(config.tls), registry: new Registry(), audit });
    try {
      await other.listen({ host: '127.0.0.1', port: 0 });
      const address = other.server.address();
      assert.ok(address && typeof address === 'object');
      const url = `https://127.0.0.1:${address.port}`;
      const res = await call('POST', '/login', { url, body: { username: 'heidi', password: 'heidi-pass-0001' } });
      assert.equal(res.status, 503);
      assert.equal(res.body['error'], 'unavailable');
      assert.ok(!JSON.stringify(res.body).includes('ECONNREFUSED'), 'no internal detail in the answer');
      const ready = await call('GET', '/readyz', { url });
      assert.equal(ready.status, 503);
      const checks = ready.body['checks'] as Record<string, string>;
      assert.notEqual(checks['postgres'], 'ok');
      assert.equal(checks['redis'], 'ok');
    } finally {
      await other.close();
      await deadPool.end();
    }
  });

  test('the audit file has JSON lines for failures, lockouts and the rest', async () => {
    await audit.flush();
    const events = (await readFile(config.auditFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const of = (event: string) => events.filter((e) => e['event'] === event);
    const failure = of('auth.failure').find((e) => e['username'] === 'lockout-1');
    assert.ok(failure, 'auth.failure for lockout-1');
    assert.equal(failure['ip'], '203.0.113.7');
    assert.equal(failure['reason'], 'wrong_password');
    assert.equal(failure['service'], 'auth');
    assert.equal(typeof failure['time'], 'string');
    assert.ok(of('auth.failure').some((e) => e['reason'] === 'unknown_user'));
    assert.ok(of('auth.failure').some((e) => e['reason'] === 'account_locked'));
    const lockout = of('auth.lockout');
    assert.equal(lockout.length, 1);
    assert.equal(lockout[0]?.['username'], 'lockout-1');
    for (const event of ['auth.login', 'auth.refresh', 'auth.logout', 'auth.token_rejected', 'authz.denied']) assert.ok(of(event).length > 0, event);
    assert.ok(
      of('authz.denied').some((e) => e['caller'] === 'catalog'),
      'an unlisted caller is audited',
    );
    assert.ok(!of('authz.denied').some((e) => e['caller'] === 'auth'), "the service's own identity (its health check) is refused without an audit event");
    assert.ok(!JSON.stringify(events).includes('pass-000'), 'no password in the audit log');
  });

  test('figures: hash time and login latency', async (t) => {
    const hasher = await createPasswordHasher(config.passwordHash);
    const hashMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      await hasher.hash('frank-pass-0001');
      hashMs.push(performance.now() - start);
    }
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      assert.equal((await login('frank', 'frank-pass-0001')).status, 200);
      latencies.push(performance.now() - start);
    }
    const concurrentStart = performance.now();
    const burst = await Promise.all(Array.from({ length: 20 }, () => login('grace', 'grace-pass-0001')));
    const burstMs = performance.now() - concurrentStart;
    assert.ok(burst.every((r) => r.status === 200));
    // Timing of the two 401s (4 each: below the lockout, which would skip the hash).
    const timed = async (username: string, password: string): Promise<number> => {
      const start = performance.now();
      assert.equal((await login(username, password)).status, 401);
      return performance.now() - start;
    };
    const wrongMs: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < 4; i++) {
      wrongMs.push(await timed('judy', 'not-judys-password'));
      unknownMs.push(await timed(`ghost-${i}`, 'whatever-password'));
    }
    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      ).toFixed(1);
    t.diagnostic(`401 timing, median of 4: wrong password ${median(wrongMs)} ms, unknown user ${median(unknownMs)} ms`);
    hashMs.sort((a, b) => a - b);
    latencies.sort((a, b) => a - b);
    t.diagnostic(`scrypt N=16384 r=8 p=1 hash: median ${percentile(hashMs, 50).toFixed(1)} ms, max ${percentile(hashMs, 100).toFixed(1)} ms`);
    t.diagnostic(`seeding 27 users (parallel hashes): ${seedMs.toFixed(0)} ms`);
    t.diagnostic(
      `sequential login: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms`,
    );
    t.diagnostic(`20 concurrent logins: ${burstMs.toFixed(0)} ms total (${(20_000 / burstMs).toFixed(1)} logins/s)`);
  });
});
