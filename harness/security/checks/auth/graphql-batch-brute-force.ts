import type { Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { TargetProfile } from '../../target-profile.ts';
import { firstStringAt, loginPath, saysNothing, tokenFieldOf } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { aliasedLogin, aliasedVariables, readLoginMutation } from './graphql-login-batch.ts';
import { redacted } from './token-oracle.ts';
import { victimControl } from './victim-control.ts';

/**
 * The profile with its login mutation where this check reads it: graphql.loginMutation, or else
 * the mutation of an auth.login of kind 'graphql' (posted to its path): one mutation, not two.
 */
function withLoginMutation(p: TargetProfile): TargetProfile {
  const login = p.auth.login;
  if (login.kind !== 'graphql' || p.graphql?.loginMutation !== undefined) return p;
  return { ...p, graphql: { ...p.graphql, path: p.graphql?.path ?? loginPath(p), loginMutation: login.mutation } };
}

/** Attempts per request beyond the account's limit (OWASP's "L+5"). */
const BEYOND_LIMIT = 5;

export const graphqlBatchBruteForce = defineCheck({
  id: 'SEC-AUTH-05',
  title: 'Login brute force batched into one GraphQL request',
  owasp: 'API2',
  cwe: [307, 799],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['no-login-throttle'],
  description:
    "Logs the lockout victim in once through the profile's login (the control: its password is right, and its failure " +
    `count starts from zero), then sends maxLoginAttempts + ${BEYOND_LIMIT} attempts of graphql.loginMutation (or of ` +
    "auth.login's mutation, a GraphQL login) for it in ONE HTTP " +
    'request, every password wrong except the last, which is right: as a JSON array of operations, as one ' +
    'operation of aliased login fields, and as an array of two operations of aliases. Passes when no answer ' +
    'carries a token (refused outright, or the lockout or a limit stopped the attempts before the last); fails ' +
    'when any does: the per-request limits were bypassed (OWASP API2:2023 scenario 1).',
  applies: (p) =>
    authNeeds(withLoginMutation(p), { gql: 'graphql', mutation: 'graphql.loginMutation', victim: 'auth.lockoutVictim', max: 'auth.maxLoginAttempts' }),
  async run(ctx, { gql, mutation, victim, max }) {
    const m = readLoginMutation(mutation);
    const control = await victimControl(ctx, victim);
    if (!control.ok) return control.outcome;

    const n = max + BEYOND_LIMIT;
    const attempts = Array.from({ length: n }, (_, i) => ({
      username: victim.username,
      password: i === n - 1 ? victim.password : `${victim.password}-wrong-${i + 1}`,
    }));
    const half = Math.ceil(n / 2);
    const variants: readonly { readonly name: string; readonly body: unknown }[] = [
      {
        name: `an array of ${n} login operations`,
        body: attempts.map((a) => ({ query: mutation, variables: { [m.userVar]: a.username, [m.passVar]: a.password } })),
      },
      { name: `one operation of ${n} aliased logins`, body: { query: aliasedLogin(m, n), variables: aliasedVariables(m, attempts) } },
      {
        name: `an array of 2 operations of ${half} aliased logins`,
        body: [attempts.slice(0, half), attempts.slice(half)].map((part) => ({ query: aliasedLogin(m, part.length), variables: aliasedVariables(m, part) })),
      },
    ];
    // The leaf of the token's path: aliased logins answer under their aliases (data.login2.accessToken).
    const field = tokenFieldOf(ctx.profile).split('.').pop() ?? 'accessToken';
    const answers: { readonly name: string; readonly status: number; readonly token: boolean; readonly evidence: Evidence }[] = [];
    for (const v of variants) {
      const r = await ctx.http.request({ method: 'POST', path: gql.path, body: v.body });
      const token = firstStringAt(r.json(), field) !== undefined;
      answers.push({
        name: v.name,
        status: r.status,
        token,
        evidence: { ...redacted(r.evidence), note: `${v.name}: ${n - 1} wrong passwords, then the right one${token ? '; a token came back' : ''}` },
      });
    }
    const bypass = answers.filter((a) => a.token);
    if (bypass.length > 0)
      return {
        verdict: 'fail',
        summary: `POST ${gql.path} issued ${victim.username} a token after ${n - 1} wrong passwords in one request (${bypass.map((a) => a.name).join('; ')})`,
        evidence: [...bypass.map((a) => a.evidence), control.evidence],
      };
    const unclear = answers.find((a) => saysNothing(a.status));
    if (unclear)
      return {
        verdict: 'error',
        summary: `POST ${gql.path} answered ${unclear.status || 'nothing'} to ${unclear.name}`,
        evidence: answers.map((a) => a.evidence),
      };
    return {
      verdict: 'pass',
      summary: `POST ${gql.path} returned no token for ${n} batched attempts in any of the ${answers.length} forms (${answers.map((a) => a.status).join(', ')})${control.note}`,
      evidence: [control.evidence, ...answers.map((a) => a.evidence)],
    };
  },
});
