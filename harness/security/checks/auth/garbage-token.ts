import { randomBytes } from 'node:crypto';
import { generateKeyPair } from 'jose';
import { defineCheck } from '../../security-check.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { forgeJwt, readJwt, type ReadJwt } from './forge-jwt.ts';
import { TokenOracle, type TokenTry } from './token-oracle.ts';

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
    'signed by a key the check just generated (with its own kid), when the credential is a JWT; when it is not (a ' +
    "session id, an API key), a random value of the real credential's length and alphabet instead. Passes when every " +
    'one is refused (4xx, not 429); fails when any is answered 2xx.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const junk = (): string => randomBytes(24).toString('base64url');
    return new TokenOracle(ctx, probe).judgeTokens(token, [
      { label: "the token 'x.y.z'", token: 'x.y.z' },
      { label: "the token 'garbage'", token: 'garbage' },
      { label: "the token 'null'", token: 'null' },
      { label: 'three random base64url segments', token: `${junk()}.${junk()}.${junk()}` },
      await neverIssued(token),
    ]);
  },
});

/** A credential shaped like the real one that the target never issued: a JWT signed by a foreign key, or a look-alike value. */
async function neverIssued(token: string): Promise<TokenTry> {
  let real: ReadJwt;
  try {
    real = readJwt(token);
  } catch {
    const alphabet = /^[0-9a-f]+$/.test(token) ? 'hex' : 'base64url';
    const value = randomBytes(token.length).toString(alphabet).slice(0, token.length);
    return { label: `a random ${alphabet} value as long as the real credential (${token.length} chars)`, token: value };
  }
  const { privateKey } = await generateKeyPair('RS256');
  return {
    label: "userA's claims signed by a key the target never issued",
    token: await forgeJwt({ alg: 'RS256', typ: 'JWT', kid: 'crucible-foreign-key' }, real.claims, { kind: 'key', key: privateKey }),
  };
}
