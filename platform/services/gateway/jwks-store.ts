import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWK, type JWTVerifyGetKey, type LocalJWKSet } from 'jose';
import { ApiError } from './api-error.ts';
import { parseJson } from './upstream-answers.ts';
import type { UpstreamClient } from './upstream-client.ts';

export interface JwksStoreOptions {
  /** Fetches the key set from auth (through the upstream client, so mesh policy applies). */
  readonly fetch: () => Promise<JSONWebKeySet>;
  /** Background refresh period, so a rotation is picked up without waiting for an unknown kid. */
  readonly refreshMs?: number;
  /** At most one refresh per this period is caused by unknown kids, so forged kids cannot hammer auth. */
  readonly unknownKidRefreshMs?: number;
  readonly onRefreshError?: (err: unknown) => void;
  readonly now?: () => number;
}

/** Members a public JWK may carry; anything else (a private exponent auth should never have sent) is not passed on. */
const PUBLIC_MEMBERS = ['kty', 'kid', 'use', 'alg', 'key_ops', 'n', 'e', 'crv', 'x', 'y', 'x5c', 'x5t', 'x5t#S256'] as const;

const publicPart = (key: JWK): JWK => Object.fromEntries(PUBLIC_MEMBERS.flatMap((m) => (key[m] === undefined ? [] : [[m, key[m]]]))) as JWK;

/**
 * auth's public keys, held in memory (jose's local JWK set) instead of jose's remote set, whose
 * fetch would bypass the mesh client (mutual TLS, timeouts, circuit breaker).
 */
export class JwksStore {
  readonly #opts: Required<Omit<JwksStoreOptions, 'onRefreshError'>> & Pick<JwksStoreOptions, 'onRefreshError'>;
  #keys: LocalJWKSet | undefined;
  #published: JSONWebKeySet = { keys: [] };
  #nextRefreshAt = 0;
  #lastKidRefresh = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;

  constructor(opts: JwksStoreOptions) {
    this.#opts = { refreshMs: 600_000, unknownKidRefreshMs: 30_000, now: Date.now, ...opts };
  }

  /** The key resolver for jwtVerify. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const keys = await this.#current();
    try {
      return await keys(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || !this.#mayRefreshForKid()) throw err;
      try {
        await this.refresh();
      } catch (refreshErr) {
        this.#opts.onRefreshError?.(refreshErr);
        throw err;
      }
      return (this.#keys as LocalJWKSet)(header, token);
    }
  };

  /** The key set as held (public members only): what GET /.well-known/jwks.json publishes. */
  async publicKeySet(): Promise<JSONWebKeySet> {
    await this.#current();
    return this.#published;
  }

  /** Fetches the key set now; concurrent callers share one fetch. */
  refresh(): Promise<void> {
    this.#inflight ??= this.#opts
      .fetch()
      .then((jwks) => {
        try {
          this.#keys = createLocalJWKSet(jwks);
          this.#published = { keys: jwks.keys.map(publicPart) };
        } catch {
          // Not a JOSE error to the caller: that would read as a bad token (401), and the fault is auth's.
          throw new ApiError(502, 'bad_gateway', 'auth served an unusable key set');
        }
        this.#nextRefreshAt = this.#opts.now() + this.#opts.refreshMs;
      })
      .finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  async #current(): Promise<LocalJWKSet> {
    const now = this.#opts.now();
    if (!this.#keys) {
      await this.refresh();
    } else if (now >= this.#nextRefreshAt) {
      // Stale keys keep serving while the refresh runs; a failed refresh is tried again 30 s later, not per request.
      this.#nextRefreshAt = now + this.#opts.unknownKidRefreshMs;
      this.refresh().catch((err: unknown) => this.#opts.onRefreshError?.(err));
    }
    return this.#keys as LocalJWKSet;
  }

  #mayRefreshForKid(): boolean {
    const now = this.#opts.now();
    if (now - this.#lastKidRefresh < this.#opts.unknownKidRefreshMs) return false;
    this.#lastKidRefresh = now;
    return true;
  }
}

/** auth's key set, fetched through the mesh client (mutual TLS, timeout, retries, circuit breaker). */
export async function fetchJwksFromAuth(auth: UpstreamClient): Promise<JSONWebKeySet> {
  const res = await auth.request({ method: 'GET', path: '/.well-known/jwks.json' }, { requestId: randomUUID() });
  if (res.status !== 200) throw new ApiError(502, 'bad_gateway', `auth answered ${res.status} for its key set`);
  return parseJson<JSONWebKeySet>(res, 'auth');
}
