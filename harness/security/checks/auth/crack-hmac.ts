import { createHmac } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ReadJwt } from './forge-jwt.ts';

/** The HMAC algorithms a JWS may name, by their hash. */
const HASH_OF: Readonly<Record<string, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** The hash of an HMAC-signed token (`sha256` for HS256), undefined for any other alg. */
export const hmacHashOf = (jwt: ReadJwt): string | undefined => HASH_OF[String(jwt.header['alg']).toUpperCase()];

export interface CrackOptions {
  /** Stop after this long (ms of `now`); the list left untried is reported. @default 30_000 */
  readonly budgetMs?: number;
  /** Milliseconds, for the budget (tests inject one). @default performance.now */
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

export type CrackResult =
  | { readonly found: true; readonly secret: string; readonly tried: number; readonly elapsedMs: number }
  | { readonly found: false; readonly tried: number; readonly of: number; readonly elapsedMs: number; readonly outOfTime: boolean };

/** Candidates between two looks at the clock and the signal (and a turn of the event loop). */
const CHUNK = 2048;

/**
 * Offline dictionary attack on an HMAC-signed token: each candidate secret signs the token's own
 * signing input, and the one that reproduces its signature is the key. Nothing is sent; bounded by
 * the list and by the time budget. The token must be HS256/384/512 (hmacHashOf).
 */
export async function crackHmac(jwt: ReadJwt, candidates: readonly string[], o: CrackOptions = {}): Promise<CrackResult> {
  const hash = hmacHashOf(jwt);
  if (hash === undefined) throw new Error(`the token is signed with ${String(jwt.header['alg'])}, not an HMAC`);
  const now = o.now ?? (() => performance.now());
  const budgetMs = o.budgetMs ?? 30_000;
  const started = now();
  const want = Buffer.from(jwt.signature, 'base64url');
  const input = Buffer.from(jwt.signingInput);
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const elapsedMs = now() - started;
    if (elapsedMs > budgetMs || o.signal?.aborted) return { found: false, tried: i, of: candidates.length, elapsedMs, outOfTime: true };
    for (const [j, secret] of candidates.slice(i, i + CHUNK).entries())
      if (createHmac(hash, secret).update(input).digest().equals(want)) return { found: true, secret, tried: i + j + 1, elapsedMs: now() - started };
    await yieldToLoop();
  }
  return { found: false, tried: candidates.length, of: candidates.length, elapsedMs: now() - started, outOfTime: false };
}
