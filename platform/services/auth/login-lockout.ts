import type { Cluster } from 'ioredis';
import type { AuthServiceConfig } from '../shared/service-config.ts';

export interface FailureOutcome {
  /** This failure reached maxFailures and locked the username. */
  readonly lockedNow: boolean;
  readonly failures: number;
}

export interface LoginLockout {
  /** Seconds the username stays locked, 0 when it is not. */
  lockedFor(username: string): Promise<number>;
  recordFailure(username: string): Promise<FailureOutcome>;
  clearFailures(username: string): Promise<void>;
}

const failKey = (username: string): string => `login:fail:${username}`;
const lockKey = (username: string): string => `login:lock:${username}`;

// INCR and EXPIRE in one script: the window starts at the first failure and a crash between the two
// commands cannot leave a counter without a TTL (which would lock the user out forever, eventually).
const INCR_IN_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Per-username lockout shared by every instance through Redis. Counted by username whether or not
 * the user exists, so a 423 does not reveal which usernames are real. With `lock: false` (the
 * no-login-throttle switch) failures are still counted, for the audit log, but never lock.
 */
export function createLoginLockout(redis: Cluster, cfg: AuthServiceConfig['lockout'], opts: { lock?: boolean } = {}): LoginLockout {
  const lock = opts.lock ?? true;
  return {
    async lockedFor(username) {
      if (!lock) return 0;
      const ms = await redis.pttl(lockKey(username));
      return ms > 0 ? Math.ceil(ms / 1000) : 0;
    },
    async recordFailure(username) {
      const failures = Number(await redis.eval(INCR_IN_WINDOW, 1, failKey(username), cfg.windowSec));
      if (!lock || failures < cfg.maxFailures) return { lockedNow: false, failures };
      await redis.set(lockKey(username), '1', 'EX', cfg.lockSec);
      // The lock now carries the state; once it lapses the user starts a fresh window rather than
      // being relocked by the first typo.
      await redis.del(failKey(username));
      // Failures racing past the lock check may push the count beyond the limit; only the one
      // that reached it reports the lockout, so it is audited once.
      return { lockedNow: failures === cfg.maxFailures, failures };
    },
    async clearFailures(username) {
      await redis.del(failKey(username));
    },
  };
}
