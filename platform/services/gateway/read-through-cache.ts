import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Cluster } from 'ioredis';
import type { CacheName, GatewayMetrics } from './gateway-metrics.ts';
import { SingleFlight } from './single-flight.ts';
import type { UpstreamResponse } from './upstream-client.ts';

export interface CachedRead {
  readonly response: UpstreamResponse;
  /** True when the value was in Redis at the first look (x-cache: hit). */
  readonly hit: boolean;
}

const POLL_MS = 20;
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const fromCache = (body: string): UpstreamResponse => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body });

/**
 * Read-through cache in the Redis Cluster with stampede protection across replicas: in-process
 * single-flight per key, then a fill lock (`SET lock:<key> <token> NX PX fillLockMs`). The lock
 * holder fetches from the origin and fills; the others poll for the value and go to the origin
 * themselves only if it never comes. Only 200 answers are cached. A Redis error never fails a read:
 * it bypasses the cache (origin) and counts in gateway_cache_errors_total.
 */
export class ReadThroughCache {
  readonly #name: CacheName;
  readonly #redis: Cluster;
  readonly #ttlSec: number;
  readonly #fillLockMs: number;
  readonly #metrics: GatewayMetrics;
  readonly #log: FastifyBaseLogger;
  readonly #flights = new SingleFlight<CachedRead>();

  constructor(opts: { name: CacheName; redis: Cluster; ttlSec: number; fillLockMs: number; metrics: GatewayMetrics; log: FastifyBaseLogger }) {
    this.#name = opts.name;
    this.#redis = opts.redis;
    this.#ttlSec = opts.ttlSec;
    this.#fillLockMs = opts.fillLockMs;
    this.#metrics = opts.metrics;
    this.#log = opts.log;
  }

  /** `key` without prefix, e.g. `product:42`: the value lives at `cache:<key>`, the lock at `lock:<key>`. */
  async read(key: string, load: () => Promise<UpstreamResponse>): Promise<CachedRead> {
    const result = await this.#flights.run(key, () => this.#readOnce(key, load));
    (result.hit ? this.#metrics.cacheHits : this.#metrics.cacheMisses).inc({ cache: this.#name });
    return result;
  }

  /** Cached bodies of many keys (undefined where absent or on a Redis error), for batch loaders. */
  async peekMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    const values = await Promise.all(keys.map((k) => this.#redis.get(`cache:${k}`).catch((err: unknown) => this.#failed(err, 'peek'))));
    for (const v of values) (v === null ? this.#metrics.cacheMisses : this.#metrics.cacheHits).inc({ cache: this.#name });
    return values.map((v) => v ?? undefined);
  }

  async store(key: string, body: string): Promise<void> {
    await this.#redis.set(`cache:${key}`, body, 'EX', this.#ttlSec).catch((err: unknown) => this.#failed(err, 'fill'));
  }

  /** Best effort: on a Redis error the entry stays until its TTL, which bounds the staleness. */
  async invalidate(key: string): Promise<void> {
    await this.#redis.del(`cache:${key}`).catch((err: unknown) => this.#failed(err, 'invalidate'));
  }

  async #readOnce(key: string, load: () => Promise<UpstreamResponse>): Promise<CachedRead> {
    const cacheKey = `cache:${key}`;
    const lockKey = `lock:${key}`;
    const token = randomUUID();
    let won: boolean;
    try {
      const cached = await this.#redis.get(cacheKey);
      if (cached !== null) return { response: fromCache(cached), hit: true };
      won = (await this.#redis.set(lockKey, token, 'PX', this.#fillLockMs, 'NX')) === 'OK';
    } catch (err) {
      this.#failed(err, 'read');
      return { response: await load(), hit: false };
    }
    if (won) {
      try {
        // Another replica may have filled and unlocked between our first look and our lock: look again
        // (without this, a reader that lost that race fetched from the origin a second time).
        const filledMeanwhile = await this.#redis.get(cacheKey).catch(() => null);
        if (filledMeanwhile !== null) return { response: fromCache(filledMeanwhile), hit: false };
        const response = await load();
        if (response.status === 200) await this.store(key, response.body);
        return { response, hit: false };
      } finally {
        this.#redis.eval(RELEASE_LOCK, 1, lockKey, token).catch((err: unknown) => this.#failed(err, 'unlock'));
      }
    }
    const filled = await this.#waitForFill(cacheKey, lockKey);
    return { response: filled === undefined ? await load() : fromCache(filled), hit: false };
  }

  /** The value another replica is filling, or undefined once its lock is gone without one (or expired). */
  async #waitForFill(cacheKey: string, lockKey: string): Promise<string | undefined> {
    const deadline = Date.now() + this.#fillLockMs;
    try {
      while (Date.now() < deadline) {
        await sleep(POLL_MS);
        const [value, locked] = await Promise.all([this.#redis.get(cacheKey), this.#redis.exists(lockKey)]);
        if (value !== null) return value;
        // The holder may have filled and unlocked between the two reads: one more look before giving up.
        if (!locked) return (await this.#redis.get(cacheKey)) ?? undefined;
      }
    } catch (err) {
      this.#failed(err, 'wait');
    }
    return undefined;
  }

  #failed(err: unknown, op: string): null {
    this.#metrics.cacheErrors.inc({ cache: this.#name });
    this.#log.warn({ err, cache: this.#name, op }, 'cache unavailable; bypassing it');
    return null;
  }
}
