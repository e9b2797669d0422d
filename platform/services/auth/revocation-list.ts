import type { Cluster } from 'ioredis';

/** The key every gateway replica checks on each request (docs/platform.md). */
const revokedJtiKey = (jti: string): string => `revoked:jti:${jti}`;

/**
 * Marks an access token's jti revoked until the token would have expired anyway (then the entry is
 * useless). Returns false when it was already revoked (SET NX), so a replayed logout is refused.
 */
export async function revokeAccessToken(redis: Cluster, jti: string, expSec: number): Promise<boolean> {
  const ttl = Math.max(1, expSec - Math.floor(Date.now() / 1000));
  return (await redis.set(revokedJtiKey(jti), '1', 'EX', ttl, 'NX')) === 'OK';
}
