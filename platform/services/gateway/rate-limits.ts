import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Cluster } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { AuditLog } from '../shared/audit-log.ts';
import type { GatewayServiceConfig } from '../shared/service-config.ts';
import type { VulnerableSwitch } from '../shared/vulnerable-switches.ts';
import { ApiError, retryAfterSeconds, sendApiError } from './api-error.ts';
import { auditFields } from './audit-fields.ts';
import type { GatewayMetrics, RateLimitScope } from './gateway-metrics.ts';

/** A limiter store slower than this counts as down: the request is refused rather than queued behind it. */
const STORE_TIMEOUT_MS = 250;
/** Probes and scrapes: they must keep answering while Redis is faulted, or the fault hides itself. */
const EXEMPT_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
type Scope = Exclude<RateLimitScope, 'unavailable'>;

export interface RateLimitHooks {
  /** onRequest, every route: per client IP. */
  readonly perIp: Hook;
  /** onRequest after authentication: per verified identity (JWT sub). */
  readonly perIdentity: Hook;
  /** onRequest of the login route: logins per client IP. */
  readonly perLogin: Hook;
  /**
   * One login attempt of this request's client, counted against the same per-IP login limit as
   * perLogin; throws the ApiError (429, or 503) that refuses it. The GraphQL login resolver calls
   * it on every execution, so one HTTP request holding many logins (a batch, aliases) counts each.
   */
  loginAttempt(request: FastifyRequest): Promise<void>;
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
 *
 * Vulnerable switches (mode 'test' only) take one of these properties away: no-rate-limit (no
 * per-IP or per-identity limit), no-login-throttle (no login limit), replica-local-limits (each
 * replica counts the whole limit in its own memory), rate-limit-fail-open (a Redis failure lets
 * the request through uncounted).
 */
export function createRateLimitHooks(opts: {
  redis: Cluster;
  limits: GatewayServiceConfig['rateLimit'];
  metrics: GatewayMetrics;
  audit: AuditLog;
  vulnerable?: ReadonlySet<VulnerableSwitch>;
}): RateLimitHooks {
  const vulnerable = opts.vulnerable ?? new Set<VulnerableSwitch>();
  const failOpen = vulnerable.has('rate-limit-fail-open');
  const share = Math.max(1, opts.limits.replicas ?? 1);
  const limiter = (keyPrefix: string, points: number, scope: Scope): RateLimiterAbstract => {
    if (vulnerable.has('replica-local-limits')) return new RateLimiterMemory({ keyPrefix: `${keyPrefix}:local`, points, duration: 60 });
    const shared = new RateLimiterRedis({
      storeClient: opts.redis,
      keyPrefix,
      points,
      duration: 60,
      rejectIfRedisNotReady: true,
      // Once a key is over its limit this replica refuses it from memory until the window ends: a flood costs no Redis round trips.
      inMemoryBlockOnConsumed: points + 1,
    });
    if (failOpen) return new RLWrapperTimeouts({ limiter: shared, timeoutMs: STORE_TIMEOUT_MS });
    return new RLWrapperTimeouts({
      insuranceLimiter: new CountingMemoryLimiter({ keyPrefix: `${keyPrefix}:local`, points: Math.max(1, Math.floor(points / share)), duration: 60 }, () =>
        opts.metrics.rateLimitFallbacks.inc({ scope }),
      ),
      limiter: shared,
      timeoutMs: STORE_TIMEOUT_MS,
    });
  };
  const ip = limiter('rl:ip', opts.limits.perIpPerMin, 'ip');
  const identity = limiter('rl:id', opts.limits.perIdentityPerMin, 'identity');
  const login = limiter('rl:login', opts.limits.loginPerIpPerMin, 'login');

  const take = async (rl: RateLimiterAbstract, scope: Scope, key: string, request: FastifyRequest): Promise<void> => {
    try {
      await rl.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        opts.metrics.rateLimited.inc({ scope });
        opts.audit.record('ratelimit.hit', { ...auditFields(request), scope });
        throw new ApiError(429, 'rate_limited', 'too many requests; slow down', { 'retry-after': retryAfterSeconds(err.msBeforeNext) });
      }
      if (failOpen) {
        request.log.warn({ err, scope }, 'rate limiter store unavailable; letting the request through (rate-limit-fail-open)');
        return;
      }
      opts.metrics.rateLimited.inc({ scope: 'unavailable' });
      request.log.warn({ err, scope }, 'rate limiter store unavailable; refusing the request');
      throw new ApiError(503, 'unavailable', 'the service cannot take requests right now', { 'retry-after': '1' });
    }
  };
  const asHook =
    (check: (request: FastifyRequest) => Promise<void>): Hook =>
    async (request, reply) => {
      try {
        await check(request);
        return undefined;
      } catch (err) {
        if (err instanceof ApiError) return sendApiError(reply, err);
        throw err;
      }
    };
  const unlimited = async (): Promise<void> => {};

  const perIp = vulnerable.has('no-rate-limit')
    ? unlimited
    : (r: FastifyRequest) => (EXEMPT_ROUTES.has(r.routeOptions.url ?? '') ? unlimited() : take(ip, 'ip', r.ip, r));
  const perIdentity = vulnerable.has('no-rate-limit') ? unlimited : (r: FastifyRequest) => (r.user ? take(identity, 'identity', r.user.id, r) : unlimited());
  const loginAttempt = vulnerable.has('no-login-throttle') ? unlimited : (r: FastifyRequest) => take(login, 'login', r.ip, r);
  return { perIp: asHook(perIp), perIdentity: asHook(perIdentity), perLogin: asHook(loginAttempt), loginAttempt };
}
