import { Redis } from 'ioredis';
import pg from 'pg';
import type { ProbeCheck, ProbeOutcome, ProbeTargetInfo } from './probe-check.ts';
import { failureReason } from './probe-check.ts';
import type { ResolvedProbe } from '../config/resolved-scenario.ts';

type DatastoreProbeSpec = Extract<ResolvedProbe, { type: 'datastore' }>;

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/**
 * The datastore itself, not through the mesh: PostgreSQL answers `SELECT 1` on a new connection;
 * the Redis Cluster reports `cluster_state:ok` from the first node that answers. A new connection
 * per sample, so a restarted server is seen as it is, not through a stale pooled socket.
 */
export function createDatastoreProbe(spec: DatastoreProbeSpec, target: ProbeTargetInfo): ProbeCheck {
  const { timeoutMs } = spec;
  const check = spec.store === 'postgres' ? postgresCheck(target, timeoutMs) : redisCheck(target, timeoutMs);
  return { name: spec.name, type: 'datastore', everyMs: spec.everyMs, timeoutMs, run: check, [Symbol.asyncDispose]: async () => {} };
}

function postgresCheck(target: ProbeTargetInfo, timeoutMs: number): () => Promise<ProbeOutcome> {
  return async () => {
    const cfg = target.postgres;
    if (!cfg) return { ok: false, error: 'the target exposes no PostgreSQL' };
    const client = new pg.Client({ ...cfg, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    try {
      await withTimeout(client.connect(), timeoutMs);
      await withTimeout(client.query('SELECT 1'), timeoutMs);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: failureReason(err) };
    } finally {
      void client.end().catch(() => {});
    }
  };
}

function redisCheck(target: ProbeTargetInfo, timeoutMs: number): () => Promise<ProbeOutcome> {
  return async () => {
    const cfg = target.redis;
    if (!cfg || cfg.nodes.length === 0) return { ok: false, error: 'the target exposes no Redis' };
    let last = 'no node answered';
    for (const node of cfg.nodes) {
      const redis = new Redis({
        ...node,
        password: cfg.password,
        lazyConnect: true,
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
      });
      // ioredis emits the real cause (ECONNREFUSED, WRONGPASS) as an event and rejects with
      // 'Connection is closed.'; keep the cause for the report.
      let cause: unknown;
      redis.on('error', (err: unknown) => (cause ??= err));
      try {
        await withTimeout(redis.connect(), timeoutMs);
        const info = await withTimeout(redis.cluster('INFO'), timeoutMs);
        const state = /cluster_state:(\w+)/.exec(String(info))?.[1];
        return state === 'ok' ? { ok: true } : { ok: false, error: `cluster_state:${state ?? 'unknown'}` };
      } catch (err) {
        last = failureReason(cause ?? err);
      } finally {
        redis.disconnect();
      }
    }
    return { ok: false, error: last };
  };
}
