import { createHmac, type KeyObject } from 'node:crypto';
import { CompactSign, type CompactJWSHeaderParameters } from 'jose';
import { NotApplicable } from '../../toolkit/verdicts.ts';

export type JwtHeader = Readonly<Record<string, unknown>>;
export type JwtClaims = Readonly<Record<string, unknown>>;

export interface ReadJwt {
  readonly header: JwtHeader;
  readonly claims: JwtClaims;
  /** `<header>.<payload>` as the target sent it (re-encoding could reorder keys). */
  readonly signingInput: string;
  readonly signature: string;
}

/** How a forged token is signed: not at all, with an HMAC key of our choice, or with a private key. */
export type JwtSigner =
  | { readonly kind: 'none'; readonly signature?: string }
  | { readonly kind: 'hmac'; readonly key: string | Uint8Array }
  | { readonly kind: 'key'; readonly key: KeyObject | CryptoKey };

const b64json = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/**
 * A compact JWS taken apart without any verification. A credential that is no JWT at all (a session
 * id, an API key) leaves the token checks nothing to forge: NotApplicable, not an error.
 */
export function readJwt(token: string): ReadJwt {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new NotApplicable(`the target's credential is not a JWT (not a compact JWS: ${parts.length} part${parts.length > 1 ? 's' : ''})`);
  const [h, p, s] = parts as [string, string, string];
  const json = (part: string, what: string): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* reported below */
    }
    throw new NotApplicable(`the target's credential is not a JWT (its ${what} is not a base64url JSON object)`);
  };
  return { header: json(h, 'header'), claims: json(p, 'payload'), signingInput: `${h}.${p}`, signature: s };
}

/**
 * Builds a token from any header and claims. HMAC is computed here rather than by jose, which
 * (rightly) refuses the empty and too-short keys these attacks are about.
 */
export async function forgeJwt(header: JwtHeader, claims: JwtClaims, signer: JwtSigner): Promise<string> {
  const input = `${b64json(header)}.${b64json(claims)}`;
  switch (signer.kind) {
    case 'none':
      return `${input}.${signer.signature ?? ''}`;
    case 'hmac': {
      const bits = /^HS(384|512)$/i.exec(String(header['alg']))?.[1] ?? '256';
      return `${input}.${createHmac(`sha${bits}`, signer.key).update(input).digest('base64url')}`;
    }
    case 'key':
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(header as CompactJWSHeaderParameters).sign(signer.key);
    default:
      return signer satisfies never;
  }
}

/** The claims with `changes` applied; a change to undefined removes the claim. */
export function changeClaims(claims: JwtClaims, changes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...claims, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete out[k];
  return out;
}
