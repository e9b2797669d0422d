import { defineCheck, type CheckContext, type CheckOutcome } from '../../security-check.ts';
import { noted } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { crackHmac, hmacHashOf } from './crack-hmac.ts';
import { forgeJwt, readJwt, type ReadJwt } from './forge-jwt.ts';
import { DEFAULT_SECRETS, jwtSecretWordlist } from './jwt-secret-wordlist.ts';
import { SIGNATURES_NOT_VERIFIED } from './jwt-stripped-signature.ts';
import { TokenOracle, type TokenTry } from './token-oracle.ts';

/** How long the offline attack may take: the whole list takes well under a second on one core. */
const CRACK_BUDGET_MS = 30_000;
const WORDLIST_SIZE = jwtSecretWordlist().length;

export const jwtWeakSecret = defineCheck({
  id: 'SEC-JWT-10',
  title: 'Token signed with a guessable HMAC secret',
  owasp: 'API2',
  cwe: [326, 798],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-weak-secret'],
  consequenceOf: SIGNATURES_NOT_VERIFIED,
  description:
    'It captures a real token of userA (the control: the protected probe must accept it). When the token is HMAC-signed (HS256/384/512), ' +
    `the secret is cracked offline: each of ${WORDLIST_SIZE.toLocaleString('en')} common secrets (framework defaults, zxcvbn's ` +
    "common-password list and the Diceware words) signs the token's own signing input until one reproduces its signature, within " +
    `${CRACK_BUDGET_MS / 1000} s; nothing is sent per guess. Fails naming the secret found, then forges a token with it (one claim added) ` +
    'and reports what the probe answered to it; passes when no candidate matches. A token signed otherwise (RS256, ES256) has no HMAC ' +
    'secret to crack: the check then asks online whether the verifier also takes HS256 under one of ' +
    `${DEFAULT_SECRETS.length} default secrets (${DEFAULT_SECRETS.filter(Boolean).slice(0, 6).join(', ')}, ..., and the empty one), ` +
    'failing when any is answered 2xx, naming the secret.',
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const oracle = new TokenOracle(ctx, probe);
    if (hmacHashOf(real) !== undefined) return crackOffline(ctx, oracle, token, real);
    const header = { ...real.header, alg: 'HS256' };
    const tries: TokenTry[] = [];
    for (const secret of DEFAULT_SECRETS)
      tries.push({ label: `HS256 signed with the secret '${secret}'`, token: await forgeJwt(header, real.claims, { kind: 'hmac', key: secret }) });
    return oracle.judgeTokens(token, tries);
  },
});

/**
 * The offline attack on an HMAC token: the secret that reproduces its signature is the signing key,
 * a finding whatever the probe then makes of a token forged with it (which the evidence reports as
 * it was answered, never more).
 */
async function crackOffline(ctx: CheckContext, oracle: TokenOracle, token: string, real: ReadJwt): Promise<CheckOutcome> {
  const control = await oracle.control(token);
  if (!control.ok) return control.outcome;
  const alg = String(real.header['alg']);
  const r = await crackHmac(real, jwtSecretWordlist(), { budgetMs: CRACK_BUDGET_MS, signal: ctx.signal });
  const ms = Math.round(r.elapsedMs);
  if (!r.found) {
    const what = r.outOfTime
      ? `only ${r.tried} of ${r.of} common secrets were tried offline before the ${CRACK_BUDGET_MS / 1000} s budget ran out, none reproducing its signature`
      : `none of ${r.of} common secrets reproduces its signature (tried offline in ${ms} ms)`;
    return { verdict: 'pass', summary: `userA's ${alg} token: ${what}`, evidence: [noted(control.evidence, `${alg} token captured; ${what}`)] };
  }
  const found = `userA's ${alg} token is signed with the common secret '${r.secret}' (found offline in ${ms} ms, candidate ${r.tried} of ${WORDLIST_SIZE})`;
  const forged = await forgeJwt(real.header, { ...real.claims, crucible: 'forged with the cracked secret' }, { kind: 'hmac', key: r.secret });
  const a = await oracle.send(forged);
  const answer =
    oracle.read(a) === 'accepted'
      ? `${oracle.route} accepted a token forged with it (${a.status})`
      : `${oracle.route} answered ${a.status || 'nothing'} to a token forged with it`;
  return {
    verdict: 'fail',
    summary: `${found}; ${answer}`,
    evidence: [noted(a.evidence, `a token with an added claim, signed with the cracked secret '${r.secret}'`), noted(control.evidence, found)],
  };
}
