import type { Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { loginPath, loginRefused, needsNothing, noted } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { attemptLogin } from './login-attempt.ts';

export const loginNosqlInjection = defineCheck({
  id: 'SEC-AUTH-06',
  title: 'Login bypass with query operators (NoSQL injection)',
  owasp: 'API2',
  cwe: [943, 287],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['nosql-injection'],
  description:
    'Posts the login route four times with query operator objects where strings belong: {$ne: null} as username and ' +
    "password, {$gt: ''} as both, and userA's username with {$ne: null} and with {$regex: '.*'} as the password. " +
    'Passes when every answer is a refusal without a credential (4xx, not 429; a GraphQL login: errors); fails when any answer carries a credential.',
  applies: needsNothing,
  async run(ctx) {
    // A known username makes the password-only operators meaningful; a static identity has none.
    const known = Object.values(ctx.profile.auth.users).find((u) => 'username' in u);
    const userA = known && 'username' in known ? known.username : 'admin';
    const tries: readonly { readonly what: string; readonly u: unknown; readonly p: unknown }[] = [
      { what: 'username and password {$ne: null}', u: { $ne: null }, p: { $ne: null } },
      { what: "username and password {$gt: ''}", u: { $gt: '' }, p: { $gt: '' } },
      { what: `username ${userA}, password {$ne: null}`, u: userA, p: { $ne: null } },
      { what: `username ${userA}, password {$regex: '.*'}`, u: userA, p: { $regex: '.*' } },
    ];
    const answers: { readonly what: string; readonly status: number; readonly token: string | undefined; readonly evidence: Evidence }[] = [];
    for (const t of tries) {
      const a = await attemptLogin(ctx, t.u, t.p);
      answers.push({ what: t.what, status: a.status, token: a.token, evidence: noted(a.evidence, t.what) });
    }
    const path = loginPath(ctx.profile);
    const bypass = answers.filter((a) => a.token !== undefined);
    if (bypass.length > 0)
      return { verdict: 'fail', summary: `POST ${path} issued a token for ${bypass.map((a) => a.what).join('; ')}`, evidence: bypass.map((a) => a.evidence) };
    const unclear = answers.find((a) => !loginRefused(ctx.profile, a));
    if (unclear)
      return {
        verdict: 'error',
        summary: `POST ${path} answered ${unclear.status || 'nothing'} to ${unclear.what}, without a token but not a refusal either`,
        evidence: answers.map((a) => a.evidence),
      };
    return {
      verdict: 'pass',
      summary: `POST ${path} refused all ${answers.length} operator logins (${[...new Set(answers.map((a) => a.status))].join('/')})`,
      evidence: answers.map((a) => a.evidence),
    };
  },
});
