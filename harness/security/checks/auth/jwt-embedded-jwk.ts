import { exportJWK, generateKeyPair } from 'jose';
import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { TokenOracle } from './token-oracle.ts';
import { SIGNATURES_NOT_VERIFIED } from './jwt-stripped-signature.ts';

const OWN_KID = 'crucible-embedded-jwk';

export const jwtEmbeddedJwk = defineCheck({
  id: 'SEC-JWT-05',
  title: 'Token verified with the key embedded in its own jwk header',
  owasp: 'API2',
  cwe: [347],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-embedded-jwk'],
  consequenceOf: SIGNATURES_NOT_VERIFIED,
  description:
    'Takes a real token of userA (the control: the protected probe must accept it), generates an RSA key and signs ' +
    "the token's claims RS256 with it, its public half in the header's jwk (CVE-2018-0114): once with the key's own " +
    "kid, once with the real token's kid. Passes when the protected probe refuses both (4xx, not 429); fails when " +
    'either is answered 2xx.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: OWN_KID };
    const sign = (kid: unknown): Promise<string> => forgeJwt({ alg: 'RS256', typ: 'JWT', kid, jwk }, real.claims, { kind: 'key', key: privateKey });
    return new TokenOracle(ctx, probe).judgeTokens(token, [
      { label: `RS256 signed by an embedded jwk (kid ${OWN_KID})`, token: await sign(OWN_KID) },
      { label: `RS256 signed by an embedded jwk under the real kid (${String(real.header['kid'])})`, token: await sign(real.header['kid']) },
    ]);
  },
});
