import { createHash, randomBytes } from 'node:crypto';
import type { Cluster } from 'ioredis';
import type { TokenSubject } from './token-issuer.ts';

export interface RefreshTokenStore {
  /** A new opaque token for the subject, valid for the configured TTL. */
  issue(subject: TokenSubject): Promise<string>;
  /** Spends the token (atomic GETDEL): the first caller gets its subject, every later one undefined. */
  consume(token: string): Promise<TokenSubject | undefined>;
  /** Deletes the token if it belongs to userId; a token of another user is left alone. */
  revoke(token: string, userId: string): Promise<boolean>;
}

/** Only the hash is stored: a dump of Redis does not hand out usable refresh tokens. */
const keyOf = (token: string): string => `refresh:${createHash('sha256').update(token).digest('hex')}`;

function parseSubject(json: string): TokenSubject | undefined {
  try {
    const v = JSON.parse(json) as Partial<TokenSubject>;
    if (typeof v.userId === 'string' && typeof v.username === 'string' && (v.role === 'user' || v.role === 'admin')) {
      return { userId: v.userId, username: v.username, role: v.role };
    }
  } catch {
    // fall through: a malformed entry is treated as no entry
  }
  return undefined;
}

export function createRefreshTokenStore(redis: Cluster, ttlSec: number): RefreshTokenStore {
  return {
    async issue(subject) {
      const token = randomBytes(32).toString('base64url');
      const value = JSON.stringify({ userId: subject.userId, username: subject.username, role: subject.role });
      await redis.set(keyOf(token), value, 'EX', ttlSec);
      return token;
    },
    async consume(token) {
      const json = await redis.getdel(keyOf(token));
      return json === null ? undefined : parseSubject(json);
    },
    async revoke(token, userId) {
      const key = keyOf(token);
      const json = await redis.get(key);
      if (json === null || parseSubject(json)?.userId !== userId) return false;
      return (await redis.del(key)) === 1;
    },
  };
}
