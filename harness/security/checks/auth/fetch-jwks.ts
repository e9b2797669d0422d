import type { CheckContext, CheckOutcome, Evidence } from '../../security-check.ts';

export interface PublishedKey {
  readonly jwk: Readonly<Record<string, unknown>>;
  /** The key exactly as the JWKS document spelled it (key order kept). */
  readonly json: string;
}

/** The target's published keys (auth.jwksPath), most relevant first: the one named by `kid`, then the other RSA keys. */
export async function fetchJwks(
  ctx: CheckContext,
  path: string,
  kid: unknown,
): Promise<
  { readonly ok: true; readonly keys: readonly PublishedKey[]; readonly evidence: Evidence } | { readonly ok: false; readonly outcome: CheckOutcome }
> {
  const r = await ctx.http.request({ method: 'GET', path });
  const keys = r.json<{ keys?: unknown }>()?.keys;
  if (r.status !== 200 || !Array.isArray(keys)) {
    return {
      ok: false,
      outcome: {
        verdict: 'error',
        summary: `GET ${path} answered ${r.status || 'nothing'} without a key set, so there is no public key to attack with`,
        evidence: [r.evidence],
      },
    };
  }
  const rsa = keys.filter((k): k is Record<string, unknown> => k !== null && typeof k === 'object' && (k as Record<string, unknown>)['kty'] === 'RSA');
  if (rsa.length === 0) return { ok: false, outcome: { verdict: 'error', summary: `GET ${path} lists no RSA key`, evidence: [r.evidence] } };
  rsa.sort((x, y) => Number(y['kid'] === kid) - Number(x['kid'] === kid));
  return { ok: true, keys: rsa.map((jwk) => ({ jwk, json: JSON.stringify(jwk) })), evidence: r.evidence };
}
