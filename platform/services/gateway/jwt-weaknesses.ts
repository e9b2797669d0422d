import { createHmac, createPublicKey, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  base64url,
  createLocalJWKSet,
  decodeProtectedHeader,
  EmbeddedJWK,
  errors,
  jwtVerify,
  UnsecuredJWT,
  type JSONWebKeySet,
  type JWTClaimVerificationOptions,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import type { VulnerableSwitch } from '../shared/vulnerable-switches.ts';
import type { JwksStore } from './jwks-store.ts';

/** A jku key set slower than this is given up on: the vulnerable gateway still must not hang on an attacker's server. */
const JKU_TIMEOUT_MS = 2_000;
/** kid=/dev/zero must not read forever. */
const KID_FILE_MAX_BYTES = 64 * 1024;
/** The secret jwt-weak-secret accepts: the first word of every JWT cracking list. */
const WEAK_SECRET = 'secret';

type TokenParts = readonly [header: string, payload: string, signature: string];

/** HS256 over the token's first two parts with `key`, compared in constant time. */
function hs256Matches([header, payload, signature]: TokenParts, key: Buffer): boolean {
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Up to KID_FILE_MAX_BYTES of the file; O_NONBLOCK so a FIFO (kid=/dev/stdin) answers at once instead of blocking a thread. */
async function readKidFile(path: string): Promise<Buffer | undefined> {
  try {
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(KID_FILE_MAX_BYTES);
      const { bytesRead } = await file.read(buffer, 0, KID_FILE_MAX_BYTES, null);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * The deliberately broken ways of accepting a token, one per vulnerable switch (docs/platform.md,
 * "Vulnerable switches"; mode 'test' only). `accept` returns the claims when a switched-on weakness
 * lets the token in, or undefined when none applies, and the verifier then checks the token the
 * hardened way. Claims are still checked with the verifier's options (which the jwt-ignore-*
 * switches loosen): each switch takes away exactly one defence.
 */
export class JwtWeaknesses {
  readonly #on: ReadonlySet<VulnerableSwitch>;
  readonly #jwks: JwksStore;
  readonly #claims: JWTClaimVerificationOptions;

  constructor(opts: { switches: ReadonlySet<VulnerableSwitch>; jwks: JwksStore; claims: JWTClaimVerificationOptions }) {
    this.#on = opts.switches;
    this.#jwks = opts.jwks;
    this.#claims = opts.claims;
  }

  async accept(token: string): Promise<JWTPayload | undefined> {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return undefined;
    }
    const tokenParts = parts as unknown as TokenParts;
    const alg = typeof header.alg === 'string' ? header.alg : '';

    if (this.#on.has('jwt-alg-none') && alg.toLowerCase() === 'none' && tokenParts[2] === '') return this.#claimsOf(tokenParts, header);
    if (this.#on.has('jwt-embedded-jwk') && header.jwk !== undefined) return (await jwtVerify(token, EmbeddedJWK, this.#claims)).payload;
    if (this.#on.has('jwt-follow-jku') && typeof header.jku === 'string')
      return (await jwtVerify(token, await this.#fetchJku(header.jku), this.#claims)).payload;
    if (alg === 'HS256') {
      for (const key of await this.#hmacKeys(header)) if (hs256Matches(tokenParts, key)) return this.#claimsOf(tokenParts, header);
    }
    if (this.#on.has('jwt-skip-signature')) return this.#claimsOf(tokenParts, header);
    return undefined;
  }

  /** The payload checked like a verified token's (exp, nbf, iss, aud, required claims), its signature never looked at. */
  #claimsOf([, payload]: TokenParts, header: ProtectedHeaderParameters): JWTPayload {
    // jose's unsecured decoding checks the claims exactly as jwtVerify does; it wants alg "none" spelled its way and no signature.
    const unsigned = `${base64url.encode(JSON.stringify({ ...header, alg: 'none' }))}.${payload}.`;
    return UnsecuredJWT.decode(unsigned, this.#claims).payload;
  }

  async #fetchJku(url: string): Promise<ReturnType<typeof createLocalJWKSet>> {
    let set: JSONWebKeySet;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(JKU_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      set = (await res.json()) as JSONWebKeySet;
    } catch (err) {
      // A JOSE error, so the token is refused (401) rather than the request failing (500).
      throw new errors.JWKSInvalid(`jku ${url}: ${(err as Error).message}`);
    }
    return createLocalJWKSet(set);
  }

  /** Every HMAC key a switched-on weakness would try for this token. */
  async #hmacKeys(header: ProtectedHeaderParameters): Promise<Buffer[]> {
    const keys: Buffer[] = [];
    if (this.#on.has('jwt-kid-path') && typeof header.kid === 'string' && /[/\\]/.test(header.kid)) {
      const key = await readKidFile(header.kid);
      if (key) keys.push(key);
    }
    if (this.#on.has('jwt-key-confusion')) {
      for (const jwk of (await this.#jwks.publicKeySet()).keys) {
        if (jwk.kty !== 'RSA') continue;
        const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
        // Tools differ on the PEM's final newline; both spellings are the "public key as secret" mistake.
        keys.push(Buffer.from(pem), Buffer.from(pem.trimEnd()));
      }
    }
    if (this.#on.has('jwt-weak-secret')) keys.push(Buffer.from(WEAK_SECRET));
    return keys;
  }
}
