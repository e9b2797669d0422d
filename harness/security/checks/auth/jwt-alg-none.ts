import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { TokenOracle } from './token-oracle.ts';
import { SIGNATURES_NOT_VERIFIED } from './jwt-stripped-signature.ts';

/** jwt_tool's and WSTG's case variants: verifiers that compare case-sensitively miss the odd ones. */
const NONE_VARIANTS = ['none', 'None', 'NONE', 'nOnE'] as const;

export const jwtAlgNone = defineCheck({
  id: 'SEC-JWT-01',
  title: 'Unsigned token accepted (alg none, any case)',
  owasp: 'API2',
  cwe: [347],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-alg-none'],
  consequenceOf: SIGNATURES_NOT_VERIFIED,
  description:
    "Takes a real token of userA (the control: the protected probe must accept it), sets its header's alg to " +
    `${NONE_VARIANTS.join(', ')} and drops the signature ('header.payload.'), claims unchanged. ` +
    'Passes when the protected probe refuses all four (4xx, not 429); fails when any is answered 2xx.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const tries = [];
    for (const alg of NONE_VARIANTS)
      tries.push({ label: `alg=${alg} with an empty signature`, token: await forgeJwt({ ...real.header, alg }, real.claims, { kind: 'none' }) });
    return new TokenOracle(ctx, probe).judgeTokens(token, tries);
  },
});
