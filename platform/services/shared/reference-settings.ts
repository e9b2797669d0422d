/**
 * The reference platform's settings, the same on every target (the local processes, the containers,
 * the kind cluster): names, token lifetimes, lockout, password hashing, cache and limits. Each target
 * adds only where things are (hosts, ports, files).
 */
export const PG_DATABASE = 'crucible';
export const PG_APP_USER = 'crucible';
export const JWT_ISSUER = 'https://auth.crucible.local';
export const JWT_AUDIENCE = 'crucible-api';

export const AUTH_SETTINGS = {
  accessTokenTtlSec: 300,
  refreshTokenTtlSec: 86_400,
  lockout: { maxFailures: 5, windowSec: 300, lockSec: 300 },
  passwordHash: { N: 16_384, r: 8, p: 1 },
  poolSize: 10,
} as const;

export const CATALOG_SETTINGS = {
  seed: { products: 10_000, seed: 42 },
  poolSize: 20,
} as const;

export const GATEWAY_SETTINGS = {
  // Writes invalidate product entries, so a long TTL costs no staleness; it only bounds what a lost invalidation can cost.
  cache: { productTtlSec: 300, listTtlSec: 5, fillLockMs: 2_000 },
  /** Per minute; the replicas share them (GatewayServiceConfig's rateLimit.replicas). */
  limits: { perIpPerMin: 30_000, perIdentityPerMin: 1_200, loginPerIpPerMin: 100 },
  bodyLimitBytes: 64 * 1024,
  graphql: { maxDepth: 8, maxComplexity: 500, maxAliases: 15, maxBatch: 10 },
} as const;
