import { setTimeout } from 'node:timers/promises';
import type { Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { isAccepted, notApplicable, noted, sendTemplate, type ProbeAnswer } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { TokenOracle } from './token-oracle.ts';

/** A revocation may take a moment to reach every replica; past this it is not revoked. */
const GRACE_MS = 2_000;

export const jwtRevokedToken = defineCheck({
  id: 'SEC-JWT-11',
  title: 'Token still accepted after logout',
  owasp: 'API2',
  cwe: [613],
  cvss: AUTH_CVSS.misusedToken,
  attackClass: 'authentication',
  provenBy: ['jwt-ignore-revocation'],
  description:
    "Logs in as userA (a token of the check's own), checks the protected probe accepts it (the control), sends " +
    `auth.logout with it, then after ${GRACE_MS} ms sends the protected probe with it through the base URL and ` +
    'directly to every replica in rateLimits.replicas. Passes when every answer is a refusal (4xx, not 429); fails ' +
    'when any is 2xx. An error when the logout itself is not answered 2xx.',
  // A static credential (an API key) is not a session a logout ends: nothing to revoke.
  applies: (p) =>
    'credential' in p.auth.users.userA
      ? notApplicable(['auth.users.userA'], 'userA carries a static credential (auth.users.userA.credential), which no logout revokes')
      : authNeeds(p, { probe: 'protectedProbe', logout: 'auth.logout' }),
  async run(ctx, { probe, logout: logoutTemplate }) {
    const { token } = await ctx.login('userA');
    const oracle = new TokenOracle(ctx, probe);
    const control = await oracle.control(token);
    if (!control.ok) return control.outcome;
    const logout = await sendTemplate(ctx, logoutTemplate, { token });
    const loggedOut = noted(logout.evidence, 'logout with the token');
    if (!isAccepted(logout.status))
      return {
        verdict: 'error',
        summary: `${logoutTemplate.method} ${logoutTemplate.path} answered ${logout.status || 'nothing'}: the token was not revoked, so there is nothing to test`,
        evidence: [loggedOut, control.evidence],
      };
    await setTimeout(GRACE_MS);
    const bases = [undefined, ...(ctx.profile.rateLimits?.replicas ?? [])];
    const answers: { readonly where: string; readonly status: number; readonly read: ProbeAnswer; readonly evidence: Evidence }[] = [];
    for (const baseUrl of bases) {
      const a = await oracle.send(token, baseUrl !== undefined ? { baseUrl } : {});
      const where = baseUrl ?? 'the base URL';
      answers.push({
        where,
        status: a.status,
        read: oracle.read(a),
        evidence: noted(a.evidence, `the logged-out token, ${GRACE_MS} ms after logout, via ${where}`),
      });
    }
    const { route } = oracle;
    const accepted = answers.filter((a) => a.read === 'accepted');
    if (accepted.length > 0) {
      return {
        verdict: 'fail',
        summary: `${route} still accepted userA's token ${GRACE_MS} ms after logout (${accepted.map((a) => `${a.status} via ${a.where}`).join(', ')})`,
        evidence: [...accepted.map((a) => a.evidence), loggedOut, control.evidence],
      };
    }
    const unclear = answers.find((a) => a.read === 'unclear');
    if (unclear)
      return {
        verdict: 'error',
        summary: `${route} answered ${unclear.status || 'nothing'} via ${unclear.where} to the logged-out token: neither accepted nor refused`,
        evidence: [unclear.evidence, loggedOut],
      };
    return {
      verdict: 'pass',
      summary: `${route} refused the logged-out token on ${answers.length} route(s) to the target (${[...new Set(answers.map((a) => a.status))].join('/')})`,
      evidence: [control.evidence, loggedOut, ...answers.map((a) => a.evidence)],
    };
  },
});
