import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { readJwt } from './forge-jwt.ts';
import { TokenOracle } from './token-oracle.ts';

export const jwtStrippedSignature = defineCheck({
  id: 'SEC-JWT-02',
  title: 'Token accepted with its signature stripped or zeroed',
  owasp: 'API2',
  cwe: [347],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-skip-signature'],
  description:
    'Takes a real token of userA (the control: the protected probe must accept it) and sends it with its header and ' +
    "payload byte for byte but the signature removed ('header.payload.'), replaced by zero bytes of the same length, " +
    "and replaced by 'AAAA'. Passes when the protected probe refuses all three (4xx, not 429); fails when any is answered 2xx.",
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const zeroed = Buffer.alloc(Buffer.from(real.signature, 'base64url').length).toString('base64url');
    return new TokenOracle(ctx, probe).judgeTokens(token, [
      { label: 'the real token with its signature removed', token: `${real.signingInput}.` },
      { label: 'the real token with an all-zero signature', token: `${real.signingInput}.${zeroed}` },
      { label: "the real token with the signature 'AAAA'", token: `${real.signingInput}.AAAA` },
    ]);
  },
});

/**
 * The root cause of every forged-token finding: a target that accepts a token with its signature
 * zeroed or removed verifies no signature, so alg none, key confusion, an embedded jwk, a jku, a kid
 * or a guessed secret would all be accepted for that reason alone.
 */
export const SIGNATURES_NOT_VERIFIED = { check: jwtStrippedSignature, cause: 'signatures are not verified at all' } as const;
