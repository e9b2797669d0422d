import type { Cluster } from 'ioredis';
import type pg from 'pg';
import type { Counter } from 'prom-client';
import type { AuditLog } from '../shared/audit-log.ts';
import type { AuthServiceConfig } from '../shared/service-config.ts';
import type { AccessTokenVerifier } from './access-token-verifier.ts';
import type { LoginLockout } from './login-lockout.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { RefreshTokenStore } from './refresh-token-store.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { TokenIssuer } from './token-issuer.ts';

/** Everything the routes use, wired once in buildAuthApp. */
export interface AuthServices {
  readonly config: AuthServiceConfig;
  readonly pool: pg.Pool;
  readonly redis: Cluster;
  readonly hasher: PasswordHasher;
  readonly keys: SigningKeys;
  readonly issuer: TokenIssuer;
  readonly verifyAccessToken: AccessTokenVerifier;
  readonly refreshTokens: RefreshTokenStore;
  readonly lockout: LoginLockout;
  readonly audit: AuditLog;
  readonly logins: Counter<'result'>;
}
