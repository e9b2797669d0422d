import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Cluster } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type IRateLimiterOptions } from 'rate-limiter-flexible';
import type { AuditLog } from '../shared/audit-log.ts';
import type { GatewayServiceConfig } from '../shared/service-config.ts';
import { ApiError, retryAfterSeconds, sendApiError } from './api-error.ts';
import { auditFields } from './audit-fields.ts';
import type { GatewayMetrics, RateLimitScope } from './gateway-metrics.ts';

/** A limiter store slower than this counts as down: the request is refused rather than queued behind it. */
const STORE_TIMEOUT_MS = 250;
/** Probes and scrapes: they must keep answering while Redis is faulted, or the fault hides itself. */
const EXEMPT_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

export interface RateLimitHooks {
  /** onRequest, every route: per client IP. */
  readonly perIp: Hook;
  /** onRequest after authentication: per verified identity (JWT sub). */
  readonly perIdentity: Hook;
  /** onRequest of the login route: logins per client IP. */
  readonly perLogin: Hook;
}

/** The replica-local fallback, counted: every decision it takes is one Redis could not. */
class CountingMemoryLimiter extends RateLimiterMemory {
  readonly #onUse: () => void;
  constructor(options: IRateLimiterOptions, onUse: () => void) {
    super(options);
    this.#onUse = onUse;
  }
  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.#onUse();
    return super.consume(key, points, options);
  }
}

/**
 * Fixed one-minute windows kept in the Redis Cluster, so both replicas count against the same
 * budget. When Redis errors or is slow, each replica falls back to its share of the limit kept in
 * memory (rate-limiter-flexible's insurance limiter): never a free pass (a limiter that opens under
 * a Redis fault is a brute-force window), and no outage either (a chaos run found every request
 * refused with 503 while Redis was 200 ms slow). Only when even that fails is the answer a 503.
 */
export function createRateLimitHooks(opts: {
  redis: Cluster;
  limits: GatewayServiceConfig['rateLimit'];
  metrics: GatewayMetrics;
  audit: AuditLog;
}): RateLimitHooks {
  const share = Math.max(1, opts.limits.replicas ?? 1);
  const limiter = (keyPrefix: string, points: number, scope: Exclude<RateLimitScope, 'unavailable'>): RLWrapperTimeouts =>
    new RLWrapperTimeouts({
      insuranceLimiter: new CountingMemoryLimiter({ keyPrefix: `${keyPrefix}:local`, points: Math.max(1, Math.floor(points / share)), duration: 60 }, () => opts.metrics.rateLimitFallbacks.inc({ scope })),
      limiter: new RateLimiterRedis({
        storeClient: opts.redis,
        keyPrefix,
        points,
        duration: 60,
        rejectIfRedisNotReady: true,
        // Once a key is over its limit this replica refuses it from memory until the window ends: a flood costs no Redis round trips.
        inMemoryBlockOnConsumed: points + 1,
      }),
      timeoutMs: STORE_TIMEOUT_MS,
    });
  const ip = limiter('rl:ip', opts.limits.perIpPerMin, 'ip');
  const identity = limiter('rl:id', opts.limits.perIdentityPerMin, 'identity');
  const login = limiter('rl:login', opts.limits.loginPerIpPerMin, 'login');

  const consume = async (rl: RLWrapperTimeouts, scope: Exclude<RateLimitScope, 'unavailable'>, key: string, request: FastifyRequest, reply: FastifyReply) => {
    try {
      await rl.consume(key);
      return undefined;
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        opts.metrics.rateLimited.inc({ scope });
        opts.audit.record('ratelimit.hit', { ...auditFields(request), scope });
        return sendApiError(reply, new ApiError(429, 'rate_limited', 'too many requests; slow down', { 'retry-after': retryAfterSeconds(err.msBeforeNext) }));
      }
      opts.metrics.rateLimited.inc({ scope: 'unavailable' });
      request.log.warn({ err, scope }, 'rate limiter store unavailable; refusing the request');
      return sendApiError(reply, new ApiError(503, 'unavailable', 'the service cannot take requests right now', { 'retry-after': '1' }));
    }
  };

  return {
    perIp: async (request, reply) => (EXEMPT_ROUTES.has(request.routeOptions.url ?? '') ? undefined : consume(ip, 'ip', request.ip, request, reply)),
    perIdentity: async (request, reply) => (request.user ? consume(identity, 'identity', request.user.id, request, reply) : undefined),
    perLogin: async (request, reply) => consume(login, 'login', request.ip, request, reply),
  };
}
