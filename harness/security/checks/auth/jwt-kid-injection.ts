import { defineCheck } from '../../security-check.ts';
import { noted } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { forgeJwt, readJwt } from './forge-jwt.ts';
import { isOutcome, TokenOracle, type TokenTry } from './token-oracle.ts';
import { SIGNATURES_NOT_VERIFIED } from './jwt-stripped-signature.ts';

/** The sleep the time-based kids ask for, and the extra latency that counts as it having happened. */
const SLEEP_SEC = 3;
const LATENCY_JUMP_MS = 2_500;

/** jwt_tool's playbook kids: a path whose content is known (empty), SQL that selects the key, commands that sleep. */
const KIDS: readonly { readonly kid: string; readonly key: string; readonly what: string; readonly timed?: true }[] = [
  { kid: '/dev/null', key: '', what: 'kid=/dev/null, signed with an empty key' },
  { kid: '../../../../../../../../dev/null', key: '', what: 'kid=../../../../../../../../dev/null, signed with an empty key' },
  { kid: "x' UNION SELECT '1';--", key: '1', what: "kid=x' UNION SELECT '1';--, signed with the key '1'" },
  { kid: `|sleep ${SLEEP_SEC}`, key: '', what: `kid=|sleep ${SLEEP_SEC}`, timed: true },
  { kid: `x'; SELECT pg_sleep(${SLEEP_SEC});--`, key: '1', what: `kid=x'; SELECT pg_sleep(${SLEEP_SEC});--`, timed: true },
];

export const jwtKidInjection = defineCheck({
  id: 'SEC-JWT-07',
  title: 'kid header injection (path traversal, SQL, command)',
  owasp: 'API2',
  cwe: [22, 89, 78],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['jwt-kid-path'],
  consequenceOf: SIGNATURES_NOT_VERIFIED,
  description:
    'Takes a real token of userA (the control: the protected probe must accept it) and re-signs its claims HS256 ' +
    'with kids a careless key lookup would act on: /dev/null and ../../../../../../../../dev/null signed with an ' +
    `empty key, x' UNION SELECT '1';-- signed with '1', and two that sleep ${SLEEP_SEC} s (a shell pipe and pg_sleep), ` +
    'timed against two tokens with an unknown kid. Passes when every token is refused (4xx, not 429) with no ' +
    `answer ${LATENCY_JUMP_MS} ms slower than the baseline; fails when any token is answered 2xx or a sleeping kid delays the answer.`,
  applies: (p) => authNeeds(p, { probe: 'protectedProbe' }),
  async run(ctx, { probe }) {
    const { token } = await ctx.login('userA');
    const real = readJwt(token);
    const sign = (kid: string, key: string): Promise<string> => forgeJwt({ alg: 'HS256', typ: 'JWT', kid }, real.claims, { kind: 'hmac', key });
    const baseline: TokenTry[] = [];
    for (let i = 0; i < 2; i++)
      baseline.push({ label: `baseline ${i + 1}: an unknown kid, signed with 'x'`, token: await sign(`crucible-no-such-key-${i}`, 'x') });
    const injected: TokenTry[] = [];
    for (const k of KIDS) injected.push({ label: k.what, token: await sign(k.kid, k.key) });
    const oracle = new TokenOracle(ctx, probe);
    const tried = await oracle.tryTokens(token, [...baseline, ...injected]);
    if (isOutcome(tried)) return tried;
    // Injected kids first, so a fail names one of them rather than a baseline token.
    const outcome = oracle.judge({ control: tried.control, answers: [...tried.answers.slice(baseline.length), ...tried.answers.slice(0, baseline.length)] });
    if (outcome.verdict === 'fail') return outcome;
    const slowestBaseline = Math.max(...tried.answers.slice(0, baseline.length).map(({ a }) => a.elapsedMs));
    const timedLabels = new Set(KIDS.filter((k) => k.timed).map((k) => k.what));
    const delayed = tried.answers.filter(({ t, a }) => timedLabels.has(t.label) && a.elapsedMs >= slowestBaseline + LATENCY_JUMP_MS);
    if (delayed.length === 0) return outcome;
    const d = delayed[0] as (typeof delayed)[number];
    return {
      verdict: 'fail',
      summary: `${d.t.label} delayed the answer to ${Math.round(d.a.elapsedMs)} ms (baseline ${Math.round(slowestBaseline)} ms): the kid reached a shell or a query`,
      evidence: [
        ...delayed.map(({ t, a }) => noted(a.evidence, `${t.label}: ${Math.round(a.elapsedMs)} ms`)),
        ...tried.answers.slice(0, baseline.length).map(({ t, a }) => noted(a.evidence, `${t.label}: ${Math.round(a.elapsedMs)} ms`)),
      ],
    };
  },
});
