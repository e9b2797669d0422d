import type { Cluster } from 'ioredis';
import { errors, jwtVerify } from 'jose';
import { ApiError } from './api-error.ts';
import type { JwksStore } from './jwks-store.ts';

export type Role = 'user' | 'admin';

export interface AuthUser {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly jti: string;
}

/** A token refused; `reason` goes to the audit log, never to the client. */
export class TokenRejected extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`token rejected: ${reason}`);
    this.reason = reason;
  }
}

const CLOCK_TOLERANCE_SEC = 5;

/** jose's error codes, as short audit reasons. */
function reasonOf(err: unknown): string | undefined {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `claim_${err.claim}_${err.reason}`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown_kid';
  if (err instanceof errors.JOSEError) return 'malformed';
  return undefined;
}

/**
 * Verifies an access token as auth issues it (RS256 only, issuer, audience, at most 5 s of clock
 * skew, the claims the gateway relies on present), then asks Redis whether it was revoked by a
 * logout on any replica. A Redis failure is a 503, not a pass: revocation must not silently lapse.
 */
export class JwtVerifier {
  readonly #jwks: JwksStore;
  readonly #redis: Cluster;
  readonly #issuer: string;
  readonly #audience: string;

  constructor(opts: { jwks: JwksStore; redis: Cluster; issuer: string; audience: string }) {
    this.#jwks = opts.jwks;
    this.#redis = opts.redis;
    this.#issuer = opts.issuer;
    this.#audience = opts.audience;
  }

  async verify(token: string): Promise<AuthUser> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.#jwks.getKey, {
        algorithms: ['RS256'],
        issuer: this.#issuer,
        audience: this.#audience,
        clockTolerance: CLOCK_TOLERANCE_SEC,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      }));
    } catch (err) {
      const reason = reasonOf(err);
      if (reason) throw new TokenRejected(reason);
      throw err;
    }
    const { sub, jti, role, name } = payload as { sub?: unknown; jti?: unknown; role?: unknown; name?: unknown };
    if (typeof sub !== 'string' || typeof jti !== 'string' || (role !== 'user' && role !== 'admin')) throw new TokenRejected('bad_claims');
    if (await this.#isRevoked(jti)) throw new TokenRejected('revoked');
    return { id: sub, username: typeof name === 'string' ? name : sub, role, jti };
  }

  async #isRevoked(jti: string): Promise<boolean> {
    try {
      return (await this.#redis.exists(`revoked:jti:${jti}`)) > 0;
    } catch {
      throw new ApiError(503, 'unavailable', 'token revocation cannot be checked right now', { 'retry-after': '1' });
    }
  }
}
