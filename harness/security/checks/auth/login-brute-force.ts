import type { Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { loginPath, noted, saysNothing } from '../../toolkit/index.ts';
import { AUTH_CVSS } from './auth-cvss.ts';
import { authNeeds } from './auth-needs.ts';
import { attemptLogin } from './login-attempt.ts';
import { victimControl } from './victim-control.ts';

/** Wrong passwords beyond maxLoginAttempts before the right one. */
const BEYOND_LIMIT = 2;
/** Logins in flight at once while looking for the per-IP limit. */
const PARALLEL = 10;
/**
 * A fixed one-minute window can reset in the middle of the burst, so up to twice the limit may pass
 * without a 429; only past 2L + margin is the limit missing for sure.
 */
const perIpCap = (limit: number): number => 2 * limit + PARALLEL;
const PER_IP_BUDGET_MS = 45_000;

export const loginBruteForce = defineCheck({
  id: 'SEC-AUTH-03',
  title: 'Login brute force: no account lockout or per-IP login limit',
  owasp: 'API2',
  cwe: [307],
  cvss: AUTH_CVSS.forgeAnyIdentity,
  attackClass: 'authentication',
  provenBy: ['no-login-throttle'],
  description:
    'Logs the lockout victim in once (the control: its password is right and its failure count starts from zero), ' +
    `sends maxLoginAttempts + ${BEYOND_LIMIT} logins with wrong passwords one after the other, then the right ` +
    'password: it must not get a token. Then, when rateLimits.loginPerIp is set, sends wrong-password logins ' +
    `${PARALLEL} at a time until one is answered 429, at most 2 x loginPerIp + ${PARALLEL} (a fixed window may ` +
    `reset mid-burst) within ${PER_IP_BUDGET_MS / 1000} s. Passes when the right password is refused and the 429 ` +
    'comes; fails when the right password gets a token (the per-IP part is then skipped) or no 429 comes within ' +
    'the cap. Runs last: it leaves the victim locked and the per-IP login budget spent for a minute.',
  applies: (p) => authNeeds(p, { victim: 'auth.lockoutVictim', max: 'auth.maxLoginAttempts' }),
  async run(ctx, { victim, max }) {
    const path = loginPath(ctx.profile);
    const control = await victimControl(ctx, victim);
    if (!control.ok) return control.outcome;

    const statuses: number[] = [];
    let firstLock: Evidence | undefined;
    for (let i = 1; i <= max + BEYOND_LIMIT; i++) {
      const a = await attemptLogin(ctx, victim.username, `${victim.password}-wrong-${i}`);
      statuses.push(a.status);
      if (a.status !== 401 && !firstLock) firstLock = noted(a.evidence, `wrong password ${i} of ${max + BEYOND_LIMIT}: the first answer that is not 401`);
    }
    const right = await attemptLogin(ctx, victim.username, victim.password);
    const rightEv = noted(right.evidence, `the right password after ${max + BEYOND_LIMIT} wrong ones (answers ${statuses.join(', ')})`);
    const lockEvidence = [rightEv, ...(firstLock ? [firstLock] : []), control.evidence];
    if (right.token !== undefined) {
      return {
        verdict: 'fail',
        summary: `POST ${path} logged ${victim.username} in after ${max + BEYOND_LIMIT} wrong passwords (limit ${max}): no lockout (per-IP limit not tried)`,
        evidence: lockEvidence,
      };
    }
    if (saysNothing(right.status))
      return {
        verdict: 'error',
        summary: `POST ${path} answered ${right.status || 'nothing'} to the right password after the wrong ones`,
        evidence: lockEvidence,
      };
    const lockPart = `the right password was refused (${right.status}) after ${max + BEYOND_LIMIT} wrong ones${control.note}`;

    const limit = ctx.profile.rateLimits?.loginPerIp;
    if (limit === undefined)
      return { verdict: 'pass', summary: `${lockPart}; per-IP login limit not tried (no rateLimits.loginPerIp)`, evidence: lockEvidence };
    const cap = perIpCap(limit);
    const started = Date.now();
    let sent = 0;
    let limited: Evidence | undefined;
    let last: Evidence | undefined;
    let broken = 0;
    while (sent < cap && !limited && Date.now() - started < PER_IP_BUDGET_MS && !ctx.signal.aborted) {
      const batch = Math.min(PARALLEL, cap - sent);
      const answers = await Promise.all(
        Array.from({ length: batch }, (_, k) => attemptLogin(ctx, victim.username, `${victim.password}-burst-${sent + k + 1}`)),
      );
      sent += batch;
      for (const a of answers) {
        if (a.status === 429 && !limited) limited = noted(a.evidence, `burst login ${sent - batch + answers.indexOf(a) + 1}: the per-IP limit answered`);
        if (saysNothing(a.status)) broken++;
        last = a.evidence;
      }
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (limited)
      return {
        verdict: 'pass',
        summary: `${lockPart}; the per-IP login limit answered 429 within ${sent} burst logins (limit ${limit}/min, ${secs} s)`,
        evidence: [...lockEvidence, limited],
      };
    if (broken > 0)
      return {
        verdict: 'error',
        summary: `${lockPart}; ${broken} of ${sent} burst logins got no answer or a 5xx, so the per-IP limit cannot be judged`,
        evidence: [...lockEvidence, ...(last ? [last] : [])],
      };
    if (sent < cap) {
      const why = ctx.signal.aborted ? 'the run was aborted' : `too slow to reach the per-IP limit (${limit}/min)`;
      return { verdict: 'error', summary: `${lockPart}; only ${sent} of ${cap} burst logins were sent in ${secs} s: ${why}`, evidence: lockEvidence };
    }
    return {
      verdict: 'fail',
      summary: `POST ${path} took ${sent} logins from one client in ${secs} s without a 429 (the profile's limit: ${limit}/min); ${lockPart}`,
      evidence: [...(last ? [noted(last, `burst login ${sent} of ${sent}, still not limited`)] : []), ...lockEvidence],
    };
  },
});
