import type { Cluster } from 'ioredis';
import { errors, jwtVerify, type JWTClaimVerificationOptions, type JWTPayload } from 'jose';
import type { VulnerableSwitch } from '../shared/vulnerable-switches.ts';
import { ApiError } from './api-error.ts';
import type { JwksStore } from './jwks-store.ts';
import { JwtWeaknesses } from './jwt-weaknesses.ts';

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
/** jwt-ignore-time: a tolerance no exp or nbf can fall outside (jose wants a finite number). */
const ANY_TIME_SEC = Number.MAX_SAFE_INTEGER;
/** Switches that add a way in besides RS256 with auth's keys. */
const SIGNATURE_SWITCHES: readonly VulnerableSwitch[] = [
  'jwt-alg-none',
  'jwt-skip-signature',
  'jwt-key-confusion',
  'jwt-embedded-jwk',
  'jwt-follow-jku',
  'jwt-kid-path',
  'jwt-weak-secret',
];

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
 * Vulnerable switches (mode 'test' only) each take one of these checks away: the jwt-ignore-*
 * switches here, the ones that forge signatures in JwtWeaknesses.
 */
export class JwtVerifier {
  readonly #jwks: JwksStore;
  readonly #redis: Cluster;
  readonly #claims: JWTClaimVerificationOptions;
  readonly #weaknesses: JwtWeaknesses | undefined;
  readonly #checkRevocation: boolean;

  constructor(opts: { jwks: JwksStore; redis: Cluster; issuer: string; audience: string; vulnerable?: ReadonlySet<VulnerableSwitch> }) {
    const on = opts.vulnerable ?? new Set<VulnerableSwitch>();
    this.#jwks = opts.jwks;
    this.#redis = opts.redis;
    const ignoreTime = on.has('jwt-ignore-time');
    this.#claims = {
      ...(on.has('jwt-ignore-audience') ? {} : { issuer: opts.issuer, audience: opts.audience }),
      clockTolerance: ignoreTime ? ANY_TIME_SEC : CLOCK_TOLERANCE_SEC,
      requiredClaims: ignoreTime ? ['sub', 'jti', 'iat'] : ['sub', 'jti', 'exp', 'iat'],
    };
    this.#weaknesses = SIGNATURE_SWITCHES.some((s) => on.has(s)) ? new JwtWeaknesses({ switches: on, jwks: opts.jwks, claims: this.#claims }) : undefined;
    this.#checkRevocation = !on.has('jwt-ignore-revocation');
  }

  async verify(token: string): Promise<AuthUser> {
    let payload: JWTPayload;
    try {
      payload = (await this.#weaknesses?.accept(token)) ?? (await jwtVerify(token, this.#jwks.getKey, { algorithms: ['RS256'], ...this.#claims })).payload;
    } catch (err) {
      const reason = reasonOf(err);
      if (reason) throw new TokenRejected(reason);
      throw err;
    }
    const { sub, jti, role, name } = payload as { sub?: unknown; jti?: unknown; role?: unknown; name?: unknown };
    if (typeof sub !== 'string' || typeof jti !== 'string' || (role !== 'user' && role !== 'admin')) throw new TokenRejected('bad_claims');
    if (this.#checkRevocation && (await this.#isRevoked(jti))) throw new TokenRejected('revoked');
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
