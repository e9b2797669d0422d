import { randomBytes } from 'node:crypto';
import { generateKeyPair } from 'jose';
import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { TokenOracle } from './token-oracle.ts';

export const garbageToken = defineCheck({
  id: 'SEC-AUTH-02',
  title: 'Protected route accepts a token the target never issued',
  owasp: 'API2',
  cwe: [287],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-skip-signature'],
  description:
    'Logs in as userA (the control: the protected probe must accept that token), then sends the protected probe with ' +
    "'x.y.z', 'garbage', 'null', three random base64url segments, and a well-formed token carrying userA's claims but " +
    'signed by a key the check just generated (with its own kid). Passes when every one is refused (4xx, not 429); ' +
    'fails when any is answered 2xx.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const { privateKey } = await generateKeyPair('RS256');
    const junk = (): string => randomBytes(24).toString('base64url');
    return new TokenOracle(ctx, probe).judgeTokens(token, [
      { label: "the token 'x.y.z'", token: 'x.y.z' },
      { label: "the token 'garbage'", token: 'garbage' },
      { label: "the token 'null'", token: 'null' },
      { label: 'three random base64url segments', token: `${junk()}.${junk()}.${junk()}` },
      {
        label: "userA's claims signed by a key the target never issued",
        token: await forgeJwt({ alg: 'RS256', typ: 'JWT', kid: 'crucible-foreign-key' }, real.claims, { kind: 'key', key: privateKey }),
      },
    ]);
  },
});
