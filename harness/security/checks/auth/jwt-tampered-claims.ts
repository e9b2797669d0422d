import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { changeClaims, readJwt } from './forge-jwt.ts';
import { TokenOracle } from './token-oracle.ts';

export const jwtTamperedClaims = defineCheck({
  id: 'SEC-JWT-03',
  title: 'Token accepted with tampered claims under its original signature',
  owasp: 'API2',
  cwe: [347, 345],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-skip-signature'],
  description:
    'Takes a real token of userA (the control: the protected probe must accept it) and, keeping its header and ' +
    "signature, changes the payload: role set to admin; sub (and name) set to userB's, read from userB's own token; " +
    'exp pushed a day later. The decode()-instead-of-verify() bug. Passes when the protected probe refuses all three ' +
    '(4xx, not 429); fails when any is answered 2xx (the answer then shows whose identity was taken).',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const a = readJwt(token);
    const b = readJwt((await ctx.login('userB')).token);
    const [header] = a.signingInput.split('.') as [string];
    const resigned = (changes: Record<string, unknown>): string =>
      `${header}.${Buffer.from(JSON.stringify(changeClaims(a.claims, changes))).toString('base64url')}.${a.signature}`;
    const asB: Record<string, unknown> = { sub: b.claims['sub'] };
    if ('name' in a.claims) asB['name'] = b.claims['name'];
    const exp = typeof a.claims['exp'] === 'number' ? a.claims['exp'] : Math.floor(Date.now() / 1000);
    return new TokenOracle(ctx, probe).judgeTokens(token, [
      { label: "userA's token with role=admin and the original signature", token: resigned({ role: 'admin' }) },
      { label: `userA's token with userB's sub (${String(b.claims['sub'])}) and the original signature`, token: resigned(asB) },
      { label: "userA's token with exp a day later and the original signature", token: resigned({ exp: exp + 86_400 }) },
    ]);
  },
});
