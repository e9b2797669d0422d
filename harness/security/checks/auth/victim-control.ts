import type { CheckContext, CheckOutcome, Evidence } from '../../security-check.ts';
import type { Credentials } from '../../target-profile.ts';
import { loginRefused, noted, saysNothing } from '../../toolkit/index.ts';
import { attemptLogin } from './login-attempt.ts';

export type VictimControl =
  | { readonly ok: true; readonly evidence: Evidence; readonly lockedAlready: boolean; readonly note: string }
  | { readonly ok: false; readonly outcome: CheckOutcome };

/**
 * One right login of the lockout victim before a brute-force check: it proves the profile's
 * password (else a refused right password would prove nothing) and resets the failure count, so
 * the check's attempts are the ones that count. A 423 means an earlier check or run locked it: the
 * check goes on, and the lock must then hold against the right password. A GraphQL login answers
 * 200 whatever happened, so there a refusal whose errors speak of a lock means the same.
 */
export async function victimControl(ctx: CheckContext, victim: Credentials): Promise<VictimControl> {
  const a = await attemptLogin(ctx, victim.username, victim.password);
  if (a.token !== undefined)
    return { ok: true, evidence: noted(a.evidence, `control: ${victim.username} logs in with the right password`), lockedAlready: false, note: '' };
  if (a.status === 423 || (ctx.profile.auth.login.kind === 'graphql' && loginRefused(ctx.profile, a) && /\block/i.test(a.text))) {
    return {
      ok: true,
      evidence: noted(a.evidence, `control: ${victim.username} was locked before the check began`),
      lockedAlready: true,
      note: `; ${victim.username} was already locked when the check began (an earlier check or run)`,
    };
  }
  const why =
    a.status === 429
      ? 'logins are throttled already (429): run again once the window has passed'
      : saysNothing(a.status)
        ? 'the login route did not answer properly'
        : "the profile's lockoutVictim credentials are wrong";
  return {
    ok: false,
    outcome: {
      verdict: 'error',
      summary: `the right password of ${victim.username} was answered ${a.status || 'nothing'} before any attempt: ${why}`,
      evidence: [noted(a.evidence, 'control login')],
    },
  };
}
