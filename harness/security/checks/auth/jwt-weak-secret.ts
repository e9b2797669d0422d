import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { TokenOracle, type TokenTry } from './token-oracle.ts';
import { SIGNATURES_NOT_VERIFIED } from './jwt-stripped-signature.ts';

/** The head of jwt_tool's jwt-common list and the framework defaults seen in the wild; '' is the blank-key CVEs. */
const WEAK_SECRETS: readonly string[] = [
  'secret',
  'password',
  '123456',
  'changeme',
  'jwt',
  'key',
  'secretkey',
  'secret-key',
  'jwt-secret',
  'jwt_secret',
  'jwtsecret',
  'your-256-bit-secret',
  'supersecret',
  'admin',
  'test',
  'default',
  'private',
  'token',
  'qwerty',
  '',
];

export const jwtWeakSecret = defineCheck({
  id: 'SEC-JWT-10',
  title: 'Token signed with a guessable HMAC secret accepted',
  owasp: 'API2',
  cwe: [326, 798],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-weak-secret'],
  consequenceOf: SIGNATURES_NOT_VERIFIED,
  description:
    "The target's tokens are not HMAC-signed, so there is nothing to crack offline; instead the check asks online " +
    'whether the verifier also takes HS256 under a common secret. It takes a real token of userA (the control: the ' +
    'protected probe must accept it), sets alg to HS256 (kid kept) and signs its claims with each of ' +
    `${WEAK_SECRETS.length} common secrets (${WEAK_SECRETS.filter(Boolean).slice(0, 6).join(', ')}, ..., and the empty one). ` +
    'Passes when every one is refused (4xx, not 429); fails when any is answered 2xx, naming the secret.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const header = { ...real.header, alg: 'HS256' };
    const tries: TokenTry[] = [];
    for (const secret of WEAK_SECRETS)
      tries.push({ label: `HS256 signed with the secret '${secret}'`, token: await forgeJwt(header, real.claims, { kind: 'hmac', key: secret }) });
    return new TokenOracle(ctx, probe).judgeTokens(token, tries);
  },
});
